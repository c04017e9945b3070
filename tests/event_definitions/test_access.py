"""Every event definition endpoint: 401, 403 (scope, project), 404, 405, and isolation between projects.

Each test walks all endpoints against one set of fixtures (it keeps the suite fast on two back ends).
"""

import uuid

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, foreign_project, missing_scope, not_found
from tests.event_definitions.helpers import create_definition, names
from tests.factories import Account, make_account, make_key

# (method, path under the project, JSON body); "{id}" is replaced by an existing definition's id.
READS = [
    ("GET", "event_definitions/", None),
    ("GET", "event_definitions/{id}/", None),
    ("GET", "event_definitions/by_name/?name=pageview", None),
]
WRITES = [
    ("POST", "event_definitions/", {"name": "new"}),
    ("PATCH", "event_definitions/{id}/", {"enforcement_mode": "reject"}),
    ("PUT", "event_definitions/{id}/", {"name": "renamed"}),
    ("DELETE", "event_definitions/{id}/", None),
]


async def _responses(client, account: Account, endpoints, headers: dict[str, str]):
    """Each endpoint's response to `headers`, with the definition they act on left unchanged."""
    existing = (await client.get(account.url("event_definitions/"), headers=account.headers)).json()["results"]
    definition = existing[0] if existing else await create_definition(client, account, "pageview")
    results = []
    for method, path, body in endpoints:
        url = account.url(path.format(id=definition["id"]))
        results.append((f"{method} {path}", await client.request(method, url, json=body, headers=headers)))
    after = await client.get(account.url(f"event_definitions/{definition['id']}/"), headers=account.headers)
    assert after.json() == definition
    assert await names(client, account) == ["pageview"]
    return results


async def test_no_credentials_is_401(client, account: Account) -> None:
    for name, response in await _responses(client, account, READS + WRITES, headers={}):
        assert response.status_code == 401, name
        assert response.json() == NOT_AUTHENTICATED, name
        assert response.headers["www-authenticate"] == "Bearer", name


async def test_a_key_without_the_scope_is_403(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["project:write", "user:write"])
    headers = {"Authorization": f"Bearer {key}"}

    for name, response in await _responses(client, account, READS + WRITES, headers):
        assert response.status_code == 403, name
        needed = "event_definition:read" if name.startswith("GET") else "event_definition:write"
        assert response.json() == missing_scope(needed), name


async def test_a_read_only_key_reads_but_cannot_write(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["event_definition:read"])
    headers = {"Authorization": f"Bearer {key}"}

    for name, response in await _responses(client, account, READS, headers):
        assert response.status_code == 200, name
    for name, response in await _responses(client, account, WRITES, headers):
        assert response.status_code == 403, name
        assert response.json() == missing_scope("event_definition:write"), name


async def test_a_key_limited_to_another_project_is_403(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    key = await make_key(db, account.email, ["*"], projects=[second.project_id])
    expected = error(
        "authentication_error",
        "permission_denied",
        f"API key does not have access to the requested project: ID {account.project_id}.",
    )

    for name, response in await _responses(client, account, READS + WRITES, {"Authorization": f"Bearer {key}"}):
        assert response.status_code == 403, name
        assert response.json() == expected, name
    allowed = await client.get(second.url("event_definitions/"), headers={"Authorization": f"Bearer {key}"})
    assert allowed.status_code == 200


async def test_a_project_of_another_organization_is_403(client, db: Database, account: Account) -> None:
    foreign = await foreign_project(db)

    for method, path, body in READS + WRITES:
        url = f"/api/projects/{foreign}/{path.format(id=uuid.UUID(int=1))}"
        response = await client.request(method, url, json=body, headers=account.headers)
        assert response.status_code == 403, (method, path)
        assert response.json() == error(
            "authentication_error", "permission_denied", "You don't have access to the project."
        ), (method, path)


async def test_unknown_or_malformed_project_is_404(client, account: Account) -> None:
    for project in (str(account.project_id + 1000), "abc", "-1", "1.5", "99999999999999999999", "@me"):
        for method, path, body in READS + WRITES:
            url = f"/api/projects/{project}/{path.format(id=uuid.UUID(int=1))}"
            response = await client.request(method, url, json=body, headers=account.headers)
            assert response.status_code == 404, (project, method, path)
            assert response.json() == not_found("Project not found."), (project, method, path)


async def test_current_project_alias(client, account: Account) -> None:
    created = await create_definition(client, account, "pageview")

    listed = await client.get("/api/projects/@current/event_definitions/", headers=account.headers)
    retrieved = await client.get(f"/api/projects/@current/event_definitions/{created['id']}/", headers=account.headers)

    assert listed.status_code == 200
    assert listed.json()["results"] == [created]
    assert retrieved.json() == created


async def test_unknown_or_malformed_id_is_404(client, account: Account) -> None:
    await create_definition(client, account, "pageview")

    for definition_id in (str(uuid.UUID(int=7)), str(uuid.uuid4()), "not-a-uuid", "12345", "%20"):
        for method in ("GET", "PATCH", "PUT", "DELETE"):
            body = None if method in ("GET", "DELETE") else {"name": "renamed"}
            url = account.url(f"event_definitions/{definition_id}/")
            response = await client.request(method, url, json=body, headers=account.headers)
            assert response.status_code == 404, (method, definition_id)
            assert response.json() == not_found(), (method, definition_id)
    assert await names(client, account) == ["pageview"]


async def test_wrong_verb_is_405(client, account: Account) -> None:
    definition = await create_definition(client, account, "pageview")

    for method, path in [
        ("DELETE", "event_definitions/"),
        ("PATCH", "event_definitions/"),
        ("PUT", "event_definitions/"),
        ("POST", "event_definitions/{id}/"),
        ("POST", "event_definitions/by_name/"),
    ]:
        response = await client.request(method, account.url(path.format(id=definition["id"])), headers=account.headers)
        assert response.status_code == 405, (method, path)
        assert response.json() == error("invalid_request", "method_not_allowed", f'Method "{method}" not allowed.')


async def test_projects_are_isolated(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    mine = await create_definition(client, account, "pageview")
    theirs = await create_definition(client, second, "pageview", enforcement_mode="reject")

    assert mine["id"] != theirs["id"]
    assert await names(client, account) == ["pageview"]
    assert await names(client, second) == ["pageview"]
    for method, body in (("GET", None), ("PATCH", {"name": "x"}), ("PUT", {"name": "x"}), ("DELETE", None)):
        response = await client.request(
            method, second.url(f"event_definitions/{mine['id']}/"), json=body, headers=second.headers
        )
        assert response.status_code == 404, method
    still = await client.get(account.url(f"event_definitions/{mine['id']}/"), headers=account.headers)
    assert still.json() == mine
    other = await client.get(second.url(f"event_definitions/{theirs['id']}/"), headers=second.headers)
    assert other.json() == theirs
