"""/api/organizations/:organization_id/members/: PostHog's shape, levels, and who may change whom."""

from datetime import datetime

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, missing_scope, not_found
from tests.factories import USER_BASIC_KEYS, make_key, make_member
from tests.members.team import make_team

MEMBER_KEYS = ["id", "user", "level", "joined_at", "updated_at"]


def _denied(detail: str) -> dict[str, object]:
    return error("authentication_error", "permission_denied", detail)


async def test_list_in_posthogs_shape(client, db: Database) -> None:
    team = await make_team(db)

    response = await client.get(team.members_url(), headers=team.headers("member"))
    current = await client.get("/api/organizations/@current/members/?limit=2", headers=team.headers("member"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5  # owner, admin, member, target, demoted (not the removed one, not the outsider)
    first = body["results"][0]
    assert list(first) == MEMBER_KEYS
    assert list(first["user"]) == USER_BASIC_KEYS
    assert (first["user"]["email"], first["level"]) == ("owner@example.com", 15)
    assert [m["level"] for m in body["results"]] == [15, 8, 1, 1, 8]
    assert first["joined_at"].endswith("Z") and first["updated_at"].endswith("Z")
    assert current.json()["count"] == 5
    assert [m["user"]["email"] for m in current.json()["results"]] == ["owner@example.com", "admin@example.com"]
    assert current.json()["next"].endswith("?limit=2&offset=2")


async def test_list_errors(client, db: Database) -> None:
    team = await make_team(db)
    no_scope = await make_key(db, team.member.email, ["event_definition:write"])

    anonymous = await client.get(team.members_url())
    scope = await client.get(team.members_url(), headers={"Authorization": f"Bearer {no_scope}"})
    outsider = await client.get(team.members_url(), headers=team.headers("outsider"))
    unknown = await client.get(
        "/api/organizations/0196f7b0-0000-7000-8000-000000000000/members/", headers=team.headers("owner")
    )
    malformed = await client.get("/api/organizations/nope/members/", headers=team.headers("owner"))

    assert (anonymous.status_code, anonymous.json()) == (401, NOT_AUTHENTICATED)
    assert (scope.status_code, scope.json()) == (403, missing_scope("organization_member:read"))
    assert (outsider.status_code, outsider.json()) == (403, _denied("You don't have access to the organization."))
    assert (unknown.status_code, unknown.json()) == (404, not_found("Organization not found."))
    assert (malformed.status_code, malformed.json()) == (404, not_found("Organization not found."))


async def test_an_admin_changes_a_members_level(client, db: Database) -> None:
    team = await make_team(db)
    before = (await client.get(team.members_url(), headers=team.headers("owner"))).json()["results"][3]

    response = await client.patch(team.members_url("target"), json={"level": 8}, headers=team.headers("admin"))

    assert response.status_code == 200
    body = response.json()
    assert list(body) == MEMBER_KEYS
    assert (body["user"]["email"], body["level"]) == ("target@example.com", 8)
    assert body["joined_at"] == before["joined_at"]
    assert datetime.fromisoformat(body["updated_at"]) > datetime.fromisoformat(before["updated_at"])
    # The target's key now acts as an admin.
    rotated = await client.post(f"/api/projects/{team.project_id}/rotate_token/", headers=team.headers("target"))
    assert rotated.status_code == 200


async def test_level_change_errors(client, db: Database) -> None:
    team = await make_team(db)
    scope_only_read = await make_key(db, team.admin.email, ["organization_member:read"])

    invalid = await client.patch(team.members_url("target"), json={"level": 3}, headers=team.headers("admin"))
    null = await client.patch(team.members_url("target"), json={"level": None}, headers=team.headers("admin"))
    unknown = await client.patch(team.members_url("outsider"), json={"level": 1}, headers=team.headers("admin"))
    malformed = await client.patch(team.members_url() + "x/", json={"level": 1}, headers=team.headers("admin"))
    scope = await client.patch(
        team.members_url("target"), json={"level": 1}, headers={"Authorization": f"Bearer {scope_only_read}"}
    )
    anonymous = await client.patch(team.members_url("target"), json={"level": 1})

    assert (invalid.status_code, invalid.json()["code"], invalid.json()["attr"]) == (400, "invalid_choice", "level")
    assert (null.status_code, null.json()["code"]) == (400, "null")
    assert (unknown.status_code, unknown.json()) == (404, not_found())
    assert malformed.status_code == 404
    assert (scope.status_code, scope.json()) == (403, missing_scope("organization_member:write"))
    assert anonymous.status_code == 401


async def test_who_may_change_whom(client, db: Database) -> None:
    team = await make_team(db)

    def patch(who: str, target: str, level: int):
        return client.patch(team.members_url(target), json={"level": level}, headers=team.headers(who))

    admin_on_owner = await patch("admin", "owner", 8)
    admin_makes_owner = await patch("admin", "target", 15)
    own_level = await patch("owner", "owner", 8)
    member_on_member = await patch("member", "target", 1)
    admin_on_admin = await patch("admin", "demoted", 1)
    owner_makes_owner = await patch("owner", "target", 15)

    assert (admin_on_owner.status_code, admin_on_owner.json()) == (
        403,
        _denied("You can only edit others with level lower or equal to you."),
    )
    assert admin_makes_owner.json() == _denied(
        "You can only change access level of others to lower or equal to your current one."
    )
    assert own_level.json() == _denied("You can't change your own access level.")
    assert member_on_member.status_code == 403  # the route needs manage_members
    assert (admin_on_admin.status_code, admin_on_admin.json()["level"]) == (200, 1)
    assert (owner_makes_owner.status_code, owner_makes_owner.json()["level"]) == (200, 15)


async def test_the_last_owner_cannot_leave_or_be_demoted(client, db: Database) -> None:
    team = await make_team(db)

    leave = await client.delete(team.members_url("owner"), headers=team.headers("owner"))
    assert (leave.status_code, leave.json()) == (
        400,
        error("validation_error", "last_owner", "An organization must keep at least one owner."),
    )
    # With a second owner, the first may be demoted and the second may then leave... only while one remains.
    assert (await client.patch(team.members_url("admin"), json={"level": 15}, headers=team.headers("owner"))).is_success
    demoted = await client.patch(team.members_url("owner"), json={"level": 8}, headers=team.headers("admin"))
    assert (demoted.status_code, demoted.json()["level"]) == (200, 8)
    last = await client.delete(team.members_url("admin"), headers=team.headers("admin"))
    assert (last.status_code, last.json()["code"]) == (400, "last_owner")


async def test_removing_a_member_revokes_their_keys(client, db: Database) -> None:
    team = await make_team(db)
    second_key = await make_key(db, team.target.email, ["*"])
    url = f"/api/projects/{team.project_id}/event_definitions/"
    assert (await client.get(url, headers=team.headers("target"))).status_code == 200

    removed = await client.delete(team.members_url("target"), headers=team.headers("admin"))

    assert removed.status_code == 204
    assert (await client.get(url, headers=team.headers("target"))).status_code == 401
    assert (await client.get(url, headers={"Authorization": f"Bearer {second_key}"})).status_code == 401
    listed = (await client.get(team.members_url(), headers=team.headers("owner"))).json()
    assert "target@example.com" not in [m["user"]["email"] for m in listed["results"]]
    again = await client.delete(team.members_url("target"), headers=team.headers("admin"))
    assert (again.status_code, again.json()) == (404, not_found())
    # Re-keyed from the command line, a removed user still reaches nothing of the organization.
    rekeyed = await make_key(db, team.target.email, ["*"])
    refused = await client.get(url, headers={"Authorization": f"Bearer {rekeyed}"})
    assert (refused.status_code, refused.json()["detail"]) == (403, "You don't have access to the project.")


async def test_members_leave_but_do_not_remove_others(client, db: Database) -> None:
    team = await make_team(db)

    other = await client.delete(team.members_url("target"), headers=team.headers("member"))
    admin_removes_owner = await client.delete(team.members_url("owner"), headers=team.headers("admin"))
    leave = await client.delete(team.members_url("member"), headers=team.headers("member"))

    assert (other.status_code, other.json()) == (403, _denied("You can only edit others if you are an admin."))
    assert admin_removes_owner.json() == _denied("You can only edit others with level lower or equal to you.")
    assert leave.status_code == 204
    assert (await client.get("/api/users/@me/", headers=team.headers("member"))).status_code == 401


async def test_a_demoted_keys_next_request_is_refused(client, db: Database) -> None:
    team = await make_team(db)
    settings_url = f"/api/projects/{team.project_id}/validation_settings/"
    assert (await client.get(settings_url, headers=team.headers("demoted"))).status_code == 200
    changed = await client.patch(settings_url, json={"validation_mode": "strict"}, headers=team.headers("demoted"))
    assert changed.status_code == 200

    await client.patch(team.members_url("demoted"), json={"level": 1}, headers=team.headers("owner"))
    refused = await client.patch(settings_url, json={"validation_mode": "posthog"}, headers=team.headers("demoted"))

    assert (refused.status_code, refused.json()) == (
        403,
        _denied("Your organization access level is insufficient for this action."),
    )
    # Still a member: reading and editing the tracking plan go on.
    created = await client.post(
        f"/api/projects/{team.project_id}/event_definitions/", json={"name": "e"}, headers=team.headers("demoted")
    )
    assert created.status_code == 201


async def test_a_keys_scopes_never_widen_its_users_level(client, db: Database, account) -> None:
    member = await make_member(db, account.project_id, "m@example.com", 1, scopes=["*"])
    scoped = await make_key(db, member.email, ["project:write"])

    for key in (member.api_key, scoped):
        response = await client.post(
            f"/api/projects/{account.project_id}/rotate_token/", headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 403


async def test_me_lists_organizations_with_levels(client, db: Database) -> None:
    team = await make_team(db)

    body = (await client.get("/api/users/@me/", headers=team.headers("admin"))).json()
    outsider = (await client.get("/api/users/@me/", headers=team.headers("outsider"))).json()

    assert body["organizations"] == [
        {"id": str(team.organization_id), "name": "Default organization", "membership_level": 8}
    ]
    assert [o["membership_level"] for o in outsider["organizations"]] == [15]
    assert outsider["organizations"][0]["id"] != str(team.organization_id)
