"""Routing of event_schemas/: optional trailing slash, 404s, 405s, @current."""

from tests.event_schemas.api import NO_SUCH_ID, NOT_FOUND, create_definition, create_group, linked_pair
from tests.factories import Account


async def test_list_without_trailing_slash(client, account: Account) -> None:
    created = await linked_pair(client, account)
    response = await client.get(account.url("event_schemas"), headers=account.headers)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [created["id"]]


async def test_create_without_trailing_slash(client, account: Account) -> None:
    definition = await create_definition(client, account, "e")
    group = await create_group(client, account, "g")
    body = {"event_definition": definition["id"], "property_group_id": group["id"]}
    response = await client.post(account.url("event_schemas"), json=body, headers=account.headers)
    assert response.status_code == 201


async def test_detail_without_trailing_slash(client, account: Account) -> None:
    created = await linked_pair(client, account)
    body = {"event_definition": created["event_definition"], "property_group_id": created["property_group"]["id"]}
    url = account.url(f"event_schemas/{created['id']}")
    for method, status in [("GET", 200), ("PATCH", 200), ("PUT", 200), ("DELETE", 204), ("GET", 404)]:
        kwargs = {"json": body} if method in ("PATCH", "PUT") else {}
        response = await client.request(method, url, headers=account.headers, **kwargs)
        assert (method, response.status_code) == (method, status)


async def test_unknown_or_malformed_id_is_404(client, account: Account) -> None:
    body = {"event_definition": NO_SUCH_ID, "property_group_id": NO_SUCH_ID}
    cases = [(method, NO_SUCH_ID) for method in ("GET", "PATCH", "PUT", "DELETE")]
    for method, object_id in [*cases, ("GET", "not-a-uuid"), ("PUT", "123"), ("DELETE", "x")]:
        url = account.url(f"event_schemas/{object_id}/")
        response = await client.request(method, url, json=body if method != "GET" else None, headers=account.headers)
        assert (method, object_id, response.status_code, response.json()) == (method, object_id, 404, NOT_FOUND)


async def test_unknown_project_is_404(client, account: Account) -> None:
    for project in ("999999", "abc", "99999999999999999999"):
        response = await client.get(f"/api/projects/{project}/event_schemas/", headers=account.headers)
        assert (project, response.status_code) == (project, 404)
        assert response.json() == {**NOT_FOUND, "detail": "Project not found."}


async def test_current_project(client, account: Account) -> None:
    created = await linked_pair(client, account)
    response = await client.get("/api/projects/@current/event_schemas/", headers=account.headers)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [created["id"]]
    response = await client.get(f"/api/projects/@current/event_schemas/{created['id']}", headers=account.headers)
    assert response.json() == created


async def test_wrong_verb_is_405(client, account: Account) -> None:
    detail = f"event_schemas/{NO_SUCH_ID}/"
    for method, path in [
        ("PUT", "event_schemas/"),
        ("PATCH", "event_schemas"),
        ("DELETE", "event_schemas/"),
        ("POST", detail),
    ]:
        response = await client.request(method, account.url(path), headers=account.headers)
        assert (method, response.status_code) == (method, 405)
        assert response.json() == {
            "type": "invalid_request",
            "code": "method_not_allowed",
            "detail": f'Method "{method}" not allowed.',
            "attr": None,
        }
