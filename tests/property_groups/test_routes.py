"""Routing of schema_property_groups/: optional trailing slash, 404s, 405s, @current."""

from tests.event_schemas.api import NO_SUCH_ID, NOT_FOUND, create_group
from tests.factories import Account


async def test_list_and_create_without_trailing_slash(client, account: Account) -> None:
    url = account.url("schema_property_groups")
    response = await client.post(url, json={"name": "g"}, headers=account.headers)
    assert response.status_code == 201
    response = await client.get(url, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["count"] == 1


async def test_detail_without_trailing_slash(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    url = account.url(f"schema_property_groups/{group['id']}")
    for method, status in [("GET", 200), ("PATCH", 200), ("PUT", 200), ("DELETE", 204), ("GET", 404)]:
        kwargs = {"json": {"name": "h"}} if method in ("PATCH", "PUT") else {}
        response = await client.request(method, url, headers=account.headers, **kwargs)
        assert (method, response.status_code) == (method, status)


async def test_unknown_or_malformed_id_is_404(client, account: Account) -> None:
    cases = [(method, NO_SUCH_ID) for method in ("GET", "PATCH", "PUT", "DELETE")]
    for method, object_id in [*cases, ("GET", "not-a-uuid"), ("PATCH", "1")]:
        body = {"name": "g"} if method in ("PATCH", "PUT") else None
        url = account.url(f"schema_property_groups/{object_id}/")
        response = await client.request(method, url, json=body, headers=account.headers)
        assert (method, object_id, response.status_code, response.json()) == (method, object_id, 404, NOT_FOUND)


async def test_unknown_project_is_404(client, account: Account) -> None:
    for project in ("999999", "abc"):
        response = await client.get(f"/api/projects/{project}/schema_property_groups/", headers=account.headers)
        assert (project, response.status_code) == (project, 404)
        assert response.json() == {**NOT_FOUND, "detail": "Project not found."}


async def test_current_project(client, account: Account) -> None:
    url = "/api/projects/@current/schema_property_groups"
    response = await client.post(url, json={"name": "g"}, headers=account.headers)
    assert response.status_code == 201
    group = response.json()
    listed = await client.get(account.url("schema_property_groups/"), headers=account.headers)
    assert listed.json()["results"] == [group]
    fetched = await client.get(f"{url}/{group['id']}/", headers=account.headers)
    assert fetched.json() == group


async def test_wrong_verb_is_405(client, account: Account) -> None:
    detail = f"schema_property_groups/{NO_SUCH_ID}/"
    cases = [("PUT", "schema_property_groups/"), ("DELETE", "schema_property_groups"), ("POST", detail)]
    for method, path in [*cases, ("PATCH", "schema_property_groups/")]:
        response = await client.request(method, account.url(path), headers=account.headers)
        assert (method, response.status_code) == (method, 405)
        assert response.json() == {
            "type": "invalid_request",
            "code": "method_not_allowed",
            "detail": f'Method "{method}" not allowed.',
            "attr": None,
        }
