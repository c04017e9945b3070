"""401 and 403 on every schema_property_groups route, through the real personal API key path."""

from tests.event_schemas.api import (
    BAD_HEADER_KEY,
    NOT_AUTHENTICATED,
    create_group,
    denied,
    foreign_project,
    prop,
)
from tests.factories import Account, make_account, make_key


async def _routes(client, account: Account) -> list[tuple[str, str, dict | None]]:
    """(method, url, body) for every route, on an existing group; reads first."""
    group = await create_group(client, account, "g", [prop("a")])
    base = account.url("schema_property_groups/")
    detail = f"{base}{group['id']}/"
    return [
        ("GET", base, None),
        ("GET", detail, None),
        ("POST", base, {"name": "new"}),
        ("PATCH", detail, {"description": "d"}),
        ("PUT", detail, {"name": "g"}),
        ("DELETE", detail, None),
    ]


async def _statuses(client, routes, headers: dict[str, str]) -> list[tuple[str, int, dict | None]]:
    results = []
    for method, url, body in routes:
        response = await client.request(method, url, json=body, headers=headers)
        results.append((method, response.status_code, response.json() if response.content else None))
    return results


async def test_no_credentials_is_401_everywhere(client, account: Account) -> None:
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body)
        assert (method, response.status_code, response.json()) == (method, 401, NOT_AUTHENTICATED)
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_bad_key_is_401_everywhere(client, account: Account) -> None:
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers={"Authorization": "Bearer phx_wrong"})
        assert (method, response.status_code, response.json()) == (method, 401, BAD_HEADER_KEY)
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_read_only_key_cannot_write(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:read'])}"}
    results = await _statuses(client, await _routes(client, account), headers)
    assert [status for _, status, _ in results[:2]] == [200, 200]
    expected = denied("API key missing required scope 'event_definition:write'")
    assert results[2:] == [(method, 403, expected) for method in ("POST", "PATCH", "PUT", "DELETE")]


async def test_key_without_event_definition_scope_cannot_read(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['project:write'])}"}
    results = await _statuses(client, await _routes(client, account), headers)
    assert results[0] == ("GET", 403, denied("API key missing required scope 'event_definition:read'"))
    assert results[1] == ("GET", 403, denied("API key missing required scope 'event_definition:read'"))
    assert results[2] == ("POST", 403, denied("API key missing required scope 'event_definition:write'"))
    assert [status for _, status, _ in results] == [403] * 6


async def test_write_scope_implies_read(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:write'])}"}
    results = await _statuses(client, await _routes(client, account), headers)
    assert [status for _, status, _ in results] == [200, 200, 201, 200, 200, 204]


async def test_key_limited_to_another_project(client, db, account: Account) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    key = await make_key(db, account.email, ["*"], projects=[other.project_id])
    results = await _statuses(client, await _routes(client, account), {"Authorization": f"Bearer {key}"})
    expected = denied(f"API key does not have access to the requested project: ID {account.project_id}.")
    assert results == [(method, 403, expected) for method in ("GET", "GET", "POST", "PATCH", "PUT", "DELETE")]


async def test_project_of_another_organization_is_403(client, db, account: Account) -> None:
    project_id = await foreign_project(db)
    routes = [
        (method, url.replace(f"/projects/{account.project_id}/", f"/projects/{project_id}/"), body)
        for method, url, body in await _routes(client, account)
    ]
    results = await _statuses(client, routes, account.headers)
    expected = denied("You don't have access to the project.")
    assert results == [(method, 403, expected) for method in ("GET", "GET", "POST", "PATCH", "PUT", "DELETE")]
