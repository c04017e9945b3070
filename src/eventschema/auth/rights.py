"""Rights are data: what each membership level may do, and the right every route needs.

A personal API key acts with its user's rights, narrowed by its scopes, never widened: a request passes only when
the key's scopes grant the route's scope *and* the user's level in the organization grants the route's right.
Levels are PostHog's. The right of a route is looked up here by method and path; `check_route_rights` refuses to
start an app with an /api/ route (or any route that authenticates a user) missing from `ROUTE_RIGHTS`, so a new
route is one line below.

Some rights also depend on whom they are used on (members changing members): `members.service` applies those
rules (nobody acts on a level above their own; only owners make owners; the last owner stays).
"""

from enum import IntEnum, StrEnum


class Level(IntEnum):
    MEMBER = 1
    ADMIN = 8
    OWNER = 15


LEVEL_NAMES = {Level.MEMBER: "member", Level.ADMIN: "admin", Level.OWNER: "owner"}


class Right(StrEnum):
    PUBLIC = "public"
    ACCOUNT = "account"
    READ = "read"
    EDIT_PLAN = "edit_plan"
    LEAVE = "leave"
    MANAGE_PROJECT = "manage_project"
    MANAGE_KEYS = "manage_keys"
    MANAGE_MEMBERS = "manage_members"


# The lowest level that holds each right; None: no membership is needed (no key at all for PUBLIC).
RIGHT_LEVELS: dict[Right, Level | None] = {
    Right.PUBLIC: None,
    Right.ACCOUNT: None,
    Right.READ: Level.MEMBER,
    Right.EDIT_PLAN: Level.MEMBER,
    Right.LEAVE: Level.MEMBER,
    Right.MANAGE_PROJECT: Level.ADMIN,
    Right.MANAGE_KEYS: Level.ADMIN,
    Right.MANAGE_MEMBERS: Level.ADMIN,
}

RIGHT_DESCRIPTIONS: dict[Right, str] = {
    Right.PUBLIC: "the API description, and accepting an invitation (the invitation's token is the credential)",
    Right.ACCOUNT: "one's own user (`/api/users/@me/`), the list of one's projects, and one's own personal API keys "
    "(`/api/personal_api_keys/`)",
    Right.READ: "read the tracking plan, projects and their settings, events, quarantine, generated code, observed "
    "traffic, drift and proposals, alert webhooks, plan versions and the activity log, members and invitations; "
    "validate events and diff plans",
    Right.EDIT_PLAN: "create, change and delete definitions, property groups, links (event schemas) and their "
    "rules; apply plans; replay and delete quarantined events",
    Right.LEAVE: "leave the organization (removing someone else needs `manage_members`)",
    Right.MANAGE_PROJECT: "change project settings (validation mode, observed examples), rotate project API keys, "
    "add and remove alert webhooks",
    Right.MANAGE_KEYS: "manage other users' personal API keys",
    Right.MANAGE_MEMBERS: "invite people, change levels and remove members, at or below one's own level (only "
    "owners act on owners)",
}

PROJECT = "/api/projects/{project_id}"
ORG = "/api/organizations/{organization_id}"

ROUTE_RIGHTS: dict[str, Right] = {
    "GET /api/schema/docs/": Right.PUBLIC,
    "GET /api/signup/{token}/": Right.PUBLIC,
    "POST /api/signup/{token}/": Right.PUBLIC,
    "GET /api/users/@me/": Right.ACCOUNT,
    "GET /api/personal_api_keys/": Right.ACCOUNT,
    "POST /api/personal_api_keys/": Right.ACCOUNT,
    "GET /api/personal_api_keys/{key_id}/": Right.ACCOUNT,
    "PATCH /api/personal_api_keys/{key_id}/": Right.ACCOUNT,
    "DELETE /api/personal_api_keys/{key_id}/": Right.ACCOUNT,
    "GET /api/projects/": Right.ACCOUNT,
    f"GET {PROJECT}/": Right.READ,
    f"PATCH {PROJECT}/": Right.MANAGE_PROJECT,
    f"POST {PROJECT}/rotate_token/": Right.MANAGE_PROJECT,
    f"GET {PROJECT}/drift/": Right.READ,
    f"GET {PROJECT}/alert_webhooks/": Right.READ,
    f"POST {PROJECT}/alert_webhooks/": Right.MANAGE_PROJECT,
    f"DELETE {PROJECT}/alert_webhooks/{{id}}/": Right.MANAGE_PROJECT,
    f"GET {PROJECT}/validation_settings/": Right.READ,
    f"PATCH {PROJECT}/validation_settings/": Right.MANAGE_PROJECT,
    f"GET {PROJECT}/event_definitions/": Right.READ,
    f"POST {PROJECT}/event_definitions/": Right.EDIT_PLAN,
    f"GET {PROJECT}/event_definitions/by_name/": Right.READ,
    f"GET {PROJECT}/event_definitions/typescript/": Right.READ,
    f"GET {PROJECT}/event_definitions/python/": Right.READ,
    f"GET {PROJECT}/event_definitions/golang/": Right.READ,
    f"GET {PROJECT}/event_definitions/json/": Right.READ,
    f"GET {PROJECT}/event_definitions/jsonschema/": Right.READ,
    f"GET {PROJECT}/event_definitions/{{id}}/": Right.READ,
    f"GET {PROJECT}/event_definitions/{{id}}/observed_properties/": Right.READ,
    f"POST {PROJECT}/event_definitions/{{id}}/propose/": Right.READ,
    f"PATCH {PROJECT}/event_definitions/{{id}}/": Right.EDIT_PLAN,
    f"PUT {PROJECT}/event_definitions/{{id}}/": Right.EDIT_PLAN,
    f"DELETE {PROJECT}/event_definitions/{{id}}/": Right.EDIT_PLAN,
    f"GET {PROJECT}/schema_property_groups/": Right.READ,
    f"POST {PROJECT}/schema_property_groups/": Right.EDIT_PLAN,
    f"GET {PROJECT}/schema_property_groups/{{id}}/": Right.READ,
    f"PATCH {PROJECT}/schema_property_groups/{{id}}/": Right.EDIT_PLAN,
    f"PUT {PROJECT}/schema_property_groups/{{id}}/": Right.EDIT_PLAN,
    f"DELETE {PROJECT}/schema_property_groups/{{id}}/": Right.EDIT_PLAN,
    f"POST {PROJECT}/schema_property_groups/{{id}}/properties/": Right.EDIT_PLAN,
    f"GET {PROJECT}/schema_property_groups/{{id}}/properties/{{property_id}}/": Right.READ,
    f"PATCH {PROJECT}/schema_property_groups/{{id}}/properties/{{property_id}}/": Right.EDIT_PLAN,
    f"DELETE {PROJECT}/schema_property_groups/{{id}}/properties/{{property_id}}/": Right.EDIT_PLAN,
    f"GET {PROJECT}/event_schemas/": Right.READ,
    f"POST {PROJECT}/event_schemas/": Right.EDIT_PLAN,
    f"POST {PROJECT}/event_schemas/validate/": Right.READ,
    f"GET {PROJECT}/event_schemas/violations/": Right.READ,
    f"GET {PROJECT}/event_schemas/{{id}}/": Right.READ,
    f"PATCH {PROJECT}/event_schemas/{{id}}/": Right.EDIT_PLAN,
    f"PUT {PROJECT}/event_schemas/{{id}}/": Right.EDIT_PLAN,
    f"DELETE {PROJECT}/event_schemas/{{id}}/": Right.EDIT_PLAN,
    f"GET {PROJECT}/quarantine/": Right.READ,
    f"POST {PROJECT}/quarantine/replay/": Right.EDIT_PLAN,
    f"GET {PROJECT}/quarantine/{{id}}/": Right.READ,
    f"DELETE {PROJECT}/quarantine/{{id}}/": Right.EDIT_PLAN,
    f"GET {PROJECT}/events/": Right.READ,
    f"GET {PROJECT}/plan/": Right.READ,
    f"POST {PROJECT}/plan/diff/": Right.READ,
    f"POST {PROJECT}/plan/apply/": Right.EDIT_PLAN,
    f"GET {PROJECT}/plan/versions/": Right.READ,
    f"GET {PROJECT}/plan/versions/{{number}}/diff/": Right.READ,
    f"GET {PROJECT}/activity_log/": Right.READ,
    f"GET {ORG}/members/": Right.READ,
    f"PATCH {ORG}/members/{{user_uuid}}/": Right.MANAGE_MEMBERS,
    f"DELETE {ORG}/members/{{user_uuid}}/": Right.LEAVE,
    f"GET {ORG}/invites/": Right.READ,
    f"POST {ORG}/invites/": Right.MANAGE_MEMBERS,
    f"DELETE {ORG}/invites/{{invite_id}}/": Right.MANAGE_MEMBERS,
}


def public_paths() -> frozenset[str]:
    return frozenset(key.partition(" ")[2] for key, right in ROUTE_RIGHTS.items() if right == Right.PUBLIC)


def route_key(method: str, path: str) -> str:
    return f"{method} {path}"


def allows(level: int | None, right: Right) -> bool:
    """Whether a member of `level` (None: no membership in the organization concerned) holds `right`."""
    needed = RIGHT_LEVELS[right]
    return needed is None or (level is not None and level >= needed)


def parse_level(name: str) -> Level:
    """'member', 'admin' or 'owner' -> its level; raises ValueError otherwise."""
    for level, level_name in LEVEL_NAMES.items():
        if name == level_name:
            return level
    raise ValueError(f"unknown level {name!r}; valid levels are {', '.join(LEVEL_NAMES.values())}")
