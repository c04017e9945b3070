"""401 and 403 on every event_schemas route, through the real personal API key path."""

from tests.event_schemas.api import (
    BAD_HEADER_KEY,
    NOT_AUTHENTICATED,
    create_definition,
    denied,
    foreign_project,
    linked_pair,
)
from tests.factories import Account, make_account, make_key


async def _routes(client, account: Account, project_id: int | None = None) -> list[tuple[str, str, dict | None]]:
    """(method, url, body) for every route, on an existing link; reads first."""
    created = await linked_pair(client, account)
    other = await create_definition(client, account, "other")
    base = f"/api/projects/{project_id or account.project_id}/event_schemas/"
    detail = f"{base}{created['id']}/"
    group_id = created["property_group"]["id"]
    return [
        ("GET", base, None),
        ("GET", detail, None),
        ("POST", base, {"event_definition": other["id"], "property_group_id": group_id}),
        ("PATCH", detail, {}),
        ("PUT", detail, {"event_definition": created["event_definition"], "property_group_id": group_id}),
        ("DELETE", detail, None),
    ]


async def test_no_credentials_is_401_everywhere(client, account: Account) -> None:
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body)
        assert (method, response.status_code) == (method, 401)
        assert response.json() == NOT_AUTHENTICATED
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_bad_key_in_header_is_401_everywhere(client, account: Account) -> None:
    headers = {"Authorization": "Bearer phx_thisisnotarealkey"}
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers=headers)
        assert (method, response.status_code) == (method, 401)
        assert response.json() == BAD_HEADER_KEY
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_read_only_key_cannot_write(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:read'])}"}
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers=headers)
        if method == "GET":
            assert response.status_code == 200
        else:
            assert (method, response.status_code) == (method, 403)
            assert response.json() == denied("API key missing required scope 'event_definition:write'")


async def test_key_without_event_definition_scope_cannot_read(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['project:read', 'user:write'])}"}
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers=headers)
        assert (method, response.status_code) == (method, 403)
        scope = "read" if method == "GET" else "write"
        assert response.json() == denied(f"API key missing required scope 'event_definition:{scope}'")


async def test_write_scope_implies_read(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:write'])}"}
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers=headers)
        expected = {"POST": 201, "DELETE": 204}.get(method, 200)
        assert (method, response.status_code) == (method, expected)


async def test_key_limited_to_another_project(client, db, account: Account) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['*'], projects=[other.project_id])}"}
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body, headers=headers)
        assert (method, response.status_code) == (method, 403)
        expected = f"API key does not have access to the requested project: ID {account.project_id}."
        assert response.json() == denied(expected)


async def test_key_limited_to_this_project_works(client, db, account: Account) -> None:
    headers = {"Authorization": f"Bearer {await make_key(db, account.email, ['*'], projects=[account.project_id])}"}
    response = await client.get(account.url("event_schemas/"), headers=headers)
    assert response.status_code == 200


async def test_project_of_another_organization_is_403(client, db, account: Account) -> None:
    project_id = await foreign_project(db)
    routes = await _routes(client, account)
    for method, url, body in routes:
        foreign_url = url.replace(f"/projects/{account.project_id}/", f"/projects/{project_id}/")
        response = await client.request(method, foreign_url, json=body, headers=account.headers)
        assert (method, response.status_code) == (method, 403)
        assert response.json() == denied("You don't have access to the project.")


async def test_key_in_query_string_and_body(client, account: Account) -> None:
    routes = await _routes(client, account)
    response = await client.get(f"{routes[0][1]}?personal_api_key={account.api_key}")
    assert response.status_code == 200
    body = {**routes[2][2], "personal_api_key": account.api_key}
    response = await client.post(routes[2][1], json=body)
    assert response.status_code == 201
    response = await client.get(account.url("event_schemas/?personal_api_key=phx_nope"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Personal API key found in request query string is invalid."
