"""/api/personal_api_keys/: a user's own keys — made (value shown once, working at once), listed masked, changed
and revoked (refused from the next request) — with the same rules as `eventschema keys`, and never another
user's keys."""

from eventschema.auth.keys import LABEL_TOO_LONG
from eventschema.auth.service import NOT_A_MEMBER_OF_PROJECTS
from eventschema.db import Database
from eventschema.personal_api_keys.service import NO_ORGANIZATION_LIMIT, WIDER_PROJECTS, WIDER_SCOPES
from tests.app.helpers import foreign_project
from tests.factories import Account, make_account, make_key, make_member

URL = "/api/personal_api_keys/"
KEY_FIELDS = {
    "id",
    "label",
    "value",
    "mask_value",
    "created_at",
    "last_used_at",
    "scopes",
    "scoped_teams",
    "scoped_organizations",
}


def _bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


async def _create(client, account: Account, **body) -> dict:
    response = await client.post(
        URL, json={"label": "ci", "scopes": ["event_definition:read"], **body}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_key_is_shown_once_works_at_once_and_is_listed_masked(client, account: Account) -> None:
    made = await _create(client, account, scopes=["event_definition:read"], scoped_teams=[account.project_id])

    assert set(made) == KEY_FIELDS
    assert made["value"].startswith("phx_")
    assert made["mask_value"] == f"{made['value'][:4]}...{made['value'][-4:]}"
    assert (made["label"], made["scopes"], made["scoped_teams"]) == (
        "ci",
        ["event_definition:read"],
        [account.project_id],
    )
    assert (made["scoped_organizations"], made["last_used_at"]) == (None, None)

    new_key = _bearer(made["value"])
    assert (await client.get(account.url("event_definitions/"), headers=new_key)).status_code == 200
    # Its scopes hold: no writes, no projects list.
    refused = await client.post(account.url("event_definitions/"), json={"name": "x"}, headers=new_key)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "API key missing required scope 'event_definition:write'"

    listed = (await client.get(URL, headers=account.headers)).json()
    assert listed["count"] == 2
    first = listed["results"][0]
    assert first["id"] == made["id"]
    assert first["value"] is None
    assert first["last_used_at"] is not None
    assert made["value"] not in str(listed)
    one = (await client.get(f"{URL}{made['id']}/", headers=account.headers)).json()
    assert one == first


async def test_a_revoked_key_is_refused_on_its_next_request(client, account: Account) -> None:
    made = await _create(client, account)
    new_key = _bearer(made["value"])
    assert (await client.get(account.url("event_definitions/"), headers=new_key)).status_code == 200

    revoked = await client.delete(f"{URL}{made['id']}/", headers=account.headers)

    assert revoked.status_code == 204
    refused = await client.get(account.url("event_definitions/"), headers=new_key)
    assert refused.status_code == 401
    assert (await client.get(f"{URL}{made['id']}/", headers=account.headers)).status_code == 404
    assert (await client.delete(f"{URL}{made['id']}/", headers=account.headers)).status_code == 404
    assert (await client.get(URL, headers=account.headers)).json()["count"] == 1


async def test_a_key_may_revoke_itself(client, account: Account) -> None:
    own_id = (await client.get(URL, headers=account.headers)).json()["results"][0]["id"]

    assert (await client.delete(f"{URL}{own_id}/", headers=account.headers)).status_code == 204
    assert (await client.get(URL, headers=account.headers)).status_code == 401


async def test_changing_scopes_applies_to_the_next_request(client, account: Account) -> None:
    made = await _create(client, account, scopes=["event_definition:write"])
    new_key = _bearer(made["value"])
    assert (
        await client.post(account.url("event_definitions/"), json={"name": "a"}, headers=new_key)
    ).status_code == 201

    changed = await client.patch(
        f"{URL}{made['id']}/", json={"scopes": ["event_definition:read"], "label": "read only"}, headers=account.headers
    )

    assert changed.status_code == 200, changed.text
    assert (changed.json()["scopes"], changed.json()["label"], changed.json()["value"]) == (
        ["event_definition:read"],
        "read only",
        None,
    )
    assert (
        await client.post(account.url("event_definitions/"), json={"name": "b"}, headers=new_key)
    ).status_code == 403
    unlimited = await client.patch(f"{URL}{made['id']}/", json={"scoped_teams": None}, headers=account.headers)
    assert unlimited.json()["scoped_teams"] is None


async def test_the_rules_of_the_cli_with_its_messages(client, db: Database, account: Account) -> None:
    foreign = await foreign_project(db)
    cases = [
        (
            {"scopes": ["event_definition:delete"]},
            "scopes",
            "unknown scope 'event_definition:delete'; valid scopes are",
        ),
        ({"scopes": []}, "scopes", "at least one scope is required"),
        ({"label": "x" * 41}, "label", LABEL_TOO_LONG),
        ({"label": "  "}, "label", "This field may not be blank."),
        ({"scoped_teams": [foreign]}, "scoped_teams", NOT_A_MEMBER_OF_PROJECTS),
        ({"scoped_teams": [account.project_id, 99999]}, "scoped_teams", NOT_A_MEMBER_OF_PROJECTS),
        ({"scoped_teams": [-6037646528570978, 1155]}, "scoped_teams", NOT_A_MEMBER_OF_PROJECTS),
        ({"scoped_teams": [2**31]}, "scoped_teams", NOT_A_MEMBER_OF_PROJECTS),
        (
            {"scoped_organizations": ["0196f7b0-0000-7000-8000-000000000000"]},
            "scoped_organizations",
            NO_ORGANIZATION_LIMIT,
        ),
    ]
    for body, attr, detail in cases:
        response = await client.post(URL, json={"label": "ci", "scopes": ["*"], **body}, headers=account.headers)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["attr"] == attr
        assert response.json()["detail"].startswith(detail), response.json()
    missing = await client.post(URL, json={"label": "ci"}, headers=account.headers)
    assert (missing.status_code, missing.json()["attr"]) == (400, "scopes")
    assert (await client.get(URL, headers=account.headers)).json()["count"] == 1


async def test_a_key_never_makes_a_stronger_key(client, db: Database, account: Account) -> None:
    second = await make_account(db, project="Second")
    limited = _bearer(
        await make_key(
            db, account.email, ["personal_api_key:write", "event_definition:read"], projects=[account.project_id]
        )
    )

    wider = await client.post(
        URL, json={"label": "x", "scopes": ["*"], "scoped_teams": [account.project_id]}, headers=limited
    )
    everywhere = await client.post(URL, json={"label": "x", "scopes": ["event_definition:read"]}, headers=limited)
    elsewhere = await client.post(
        URL,
        json={"label": "x", "scopes": ["event_definition:read"], "scoped_teams": [second.project_id]},
        headers=limited,
    )
    narrower = await client.post(
        URL,
        json={"label": "x", "scopes": ["event_definition:read"], "scoped_teams": [account.project_id]},
        headers=limited,
    )

    assert (wider.status_code, wider.json()["detail"]) == (400, WIDER_SCOPES)
    assert (everywhere.status_code, everywhere.json()["detail"]) == (400, WIDER_PROJECTS)
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (400, WIDER_PROJECTS)
    assert narrower.status_code == 201, narrower.text
    reader = _bearer(await make_key(db, account.email, ["event_definition:read"]))
    no_scope = await client.get(URL, headers=reader)
    assert (no_scope.status_code, no_scope.json()["detail"]) == (
        403,
        "API key missing required scope 'personal_api_key:read'",
    )


async def test_only_ones_own_keys(client, db: Database, account: Account) -> None:
    other = await make_member(db, account.project_id, "other@example.com", 1)
    theirs = (await client.get(URL, headers=other.headers)).json()["results"][0]["id"]

    assert (await client.get(URL, headers=account.headers)).json()["count"] == 1
    assert (await client.get(f"{URL}{theirs}/", headers=account.headers)).status_code == 404
    assert (await client.patch(f"{URL}{theirs}/", json={"label": "mine"}, headers=account.headers)).status_code == 404
    assert (await client.delete(f"{URL}{theirs}/", headers=account.headers)).status_code == 404
    assert (await client.get(account.url(), headers=other.headers)).status_code == 200
