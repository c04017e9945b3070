"""The trailing slash is optional on every route, with no redirect."""

from tests.factories import Account


async def test_routes_answer_without_a_trailing_slash(client, account: Account) -> None:
    for path in (
        "/api/projects",
        f"/api/projects/{account.project_id}",
        "/api/users/@me",
        account.url("event_schemas"),
    ):
        with_slash = await client.get(path + "/", headers=account.headers)
        without = await client.get(path, headers=account.headers)
        assert without.status_code == 200, path
        assert without.json() == with_slash.json(), path


async def test_writes_without_a_trailing_slash(client, account: Account) -> None:
    created = await client.post(account.url("event_definitions"), json={"name": "e"}, headers=account.headers)
    url = account.url(f"event_definitions/{created.json()['id']}")
    patched = await client.patch(url, json={"enforcement_mode": "reject"}, headers=account.headers)
    deleted = await client.delete(url, headers=account.headers)

    assert [created.status_code, patched.status_code, deleted.status_code] == [201, 200, 204]


async def test_links_keep_the_path_the_client_used(client, account: Account) -> None:
    for name in ("a", "b"):
        await client.post(account.url("event_definitions/"), json={"name": name}, headers=account.headers)

    response = await client.get(account.url("event_definitions?limit=1"), headers=account.headers)

    assert response.json()["next"] == f"http://testserver{account.url('event_definitions')}?limit=1&offset=1"
    following = await client.get(response.json()["next"], headers=account.headers)
    assert [item["name"] for item in following.json()["results"]] == ["b"]
