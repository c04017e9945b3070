"""The awkward tracking plan every code-generation test uses, as pure data and as API calls.

It holds names that are not identifiers or that need escaping in every target language, keywords, two events
that sanitise to the same identifier, a name declared with different types by two groups of one event, every
combination of is_required and is_optional_in_types, and all five property types.
"""

from typing import Any

import httpx

from eventschema.codegen.plan import Declaration, TrackingPlan, build_plan, make_group
from tests.factories import Account

# group name -> [(property name, type, is_required, is_optional_in_types)]
GROUPS: dict[str, list[tuple[str, str, bool, bool]]] = {
    "page context": [
        ("$current_url", "String", True, False),
        ("has spaces", "Numeric", True, False),
        ("123x", "Boolean", False, False),
        ('quote"d', "String", False, False),
        ("back\\slash", "String", False, False),
        ("new\nline", "String", False, False),
        ("café", "DateTime", True, False),
        ("名前", "Object", False, False),
        ("*/ end comment", "String", False, False),
        ("`tick`", "Numeric", False, False),
    ],
    "order": [
        ("amount", "Numeric", True, False),
        ("currency", "String", True, True),
        ("placed_at", "DateTime", False, True),
        ("details", "Object", True, False),
        ("gift", "Boolean", False, False),
        ("class", "String", False, False),
        ("shared", "Numeric", True, False),
    ],
    "order extras": [
        ("shared", "Boolean", False, False),
        ("coupon", "String", False, False),
    ],
    'group "quoted"\nline': [("flag", "Boolean", True, False)],
    "empty group": [],
    "unlinked": [("unused", "String", True, False)],
}

# event name -> linked group names
EVENTS: dict[str, list[str]] = {
    "purchase": ["order", "order extras"],
    "page viewed": ["page context"],
    "class": ['group "quoted"\nline'],
    "type": ["empty group"],
    "func": [],
    "sign-up": ["order"],
    "sign up": [],
    "123 go": [],
    "名前": [],
    "café": ["page context", "order"],
    "$pageview": ["page context"],
    "$autocapture": [],
    "</script>\u2028*/": [],
}
INCLUDED = sorted(name for name in EVENTS if name != "$autocapture")


def plan() -> TrackingPlan:
    groups = [make_group(name, (Declaration(*p) for p in props)) for name, props in GROUPS.items()]
    return build_plan(EVENTS, groups, EVENTS)


async def create_via_api(client: httpx.AsyncClient, account: Account) -> None:
    """The same plan, created through the public API."""
    group_ids: dict[str, str] = {}
    for name, props in GROUPS.items():
        properties: list[dict[str, Any]] = [
            {"name": n, "property_type": t, "is_required": r, "is_optional_in_types": o} for n, t, r, o in props
        ]
        body = {"name": name, "properties": properties}
        response = await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)
        assert response.status_code == 201, response.text
        group_ids[name] = response.json()["id"]
    for event, groups in EVENTS.items():
        response = await client.post(account.url("event_definitions/"), json={"name": event}, headers=account.headers)
        assert response.status_code == 201, response.text
        for group in groups:
            body = {"event_definition": response.json()["id"], "property_group_id": group_ids[group]}
            linked = await client.post(account.url("event_schemas/"), json=body, headers=account.headers)
            assert linked.status_code == 201, linked.text


def posthog_plan(*sdk_events: str) -> TrackingPlan:
    """The plan of PostHog's own generator tests, with the SDK events (`$pageview`, ...) each of them adds."""
    return build_plan(
        ["file_downloaded", "user_signed_up", "user'event\"with\\quotes", *sdk_events],
        [
            make_group(
                "File Download Properties",
                [
                    Declaration("file_name", "String", True, False),
                    Declaration("file_size", "Numeric", True, False),
                    Declaration("downloaded_at", "DateTime", True, False),
                    Declaration("file_extension", "String", False, False),
                ],
            ),
            make_group(
                "User Signup Properties",
                [Declaration("email", "String", True, False), Declaration("plan", "String", True, False)],
            ),
            make_group("Special Properties", [Declaration("prop'with\"quotes", "String", True, False)]),
        ],
        {
            "file_downloaded": ["File Download Properties"],
            "user_signed_up": ["User Signup Properties"],
            "user'event\"with\\quotes": ["Special Properties"],
        },
    )


def nested(
    name: str,
    property_type: str,
    is_required: bool = False,
    rules: dict[str, Any] | None = None,
    is_optional_in_types: bool = False,
) -> dict[str, Any]:
    """A nested declaration as stored in the `properties` rule (every field filled in)."""
    return {
        "name": name,
        "property_type": property_type,
        "is_required": is_required,
        "is_optional_in_types": is_optional_in_types,
        "description": "",
        "validation_rules": rules,
    }


def item(property_type: str, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """An item declaration as stored in the `items` rule."""
    return {"property_type": property_type, "description": "", "validation_rules": rules}


# A plan using every rule: group name -> [(property name, type, is_required, is_optional_in_types, rules)].
RULES_GROUPS: dict[str, list[tuple[str, str, bool, bool, dict[str, Any] | None]]] = {
    "checkout": [
        ("plan", "String", True, False, {"enum": ["free", "pro"]}),
        ("seats", "Numeric", False, False, {"enum": [1, 2, 5]}),
        ("ratio", "Numeric", True, False, {"minimum": 0, "exclusiveMaximum": 1}),
        ("email", "String", True, False, {"pattern": "^[^@]+@[^@]+$", "maxLength": 100, "format": "email"}),
        (
            "cart",
            "Object",
            True,
            False,
            {
                "properties": [
                    nested("sku", "String", True, {"pattern": "^SKU-[0-9]+(\\*/)?$"}),
                    nested("quantity", "Numeric", True, {"minimum": 1}),
                    nested("kind", "String", False, {"enum": ["physical", "digital"]}),
                    nested(
                        "meta",
                        "Object",
                        False,
                        {"properties": [nested("source", "String", True)], "additionalProperties": False},
                    ),
                ]
            },
        ),
        ("tags", "Array", False, False, {"items": item("String", {"enum": ["a", "b"]}), "minItems": 1}),
        (
            "lines",
            "Array",
            False,
            False,
            {"items": item("Object", {"properties": [nested("sku", "String", True), nested("price", "Numeric")]})},
        ),
        ("payload", "Any", True, False, None),
        ("flag", "Any", False, False, {"enum": ["x", 1, True]}),
        ("scores", "Array", False, False, None),
        ("when", "DateTime", False, False, {"enum": ["2024-01-01"]}),
        ("ratio_2", "Numeric", False, False, {"enum": [0.5, 1]}),
        ("not_test", "String", False, False, {"not": {"enum": ["admin"]}, "minLength": 2}),
    ],
    "checkout extras": [
        ("plan", "String", True, False, {"enum": ["enterprise", "pro"]}),
        ("cart", "Object", True, False, {"properties": [nested("sku", "String", True), nested("gift", "Boolean")]}),
    ],
}
RULES_EVENTS: dict[str, list[str]] = {"checkout": ["checkout", "checkout extras"], "checkout cart": ["checkout"]}


def rules_plan() -> TrackingPlan:
    groups = [make_group(name, (Declaration(*p) for p in props)) for name, props in RULES_GROUPS.items()]
    return build_plan(RULES_EVENTS, groups, RULES_EVENTS)
