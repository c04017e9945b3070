"""DELETE schema_property_groups/:id/."""

from tests.event_schemas.api import NOT_FOUND, create_group, list_results, prop
from tests.factories import Account


async def test_delete_then_404(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    url = account.url(f"schema_property_groups/{group['id']}/")
    response = await client.delete(url, headers=account.headers)
    assert response.status_code == 204
    assert response.content == b""
    response = await client.get(url, headers=account.headers)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert await list_results(client, account, "schema_property_groups/") == []


async def test_delete_twice_is_404(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    url = account.url(f"schema_property_groups/{group['id']}/")
    await client.delete(url, headers=account.headers)
    assert (await client.delete(url, headers=account.headers)).status_code == 404


async def test_delete_leaves_other_groups_and_frees_the_name(client, account: Account) -> None:
    kept = await create_group(client, account, "kept", [prop("a")])
    group = await create_group(client, account, "g", [prop("a")])
    await client.delete(account.url(f"schema_property_groups/{group['id']}/"), headers=account.headers)
    assert await list_results(client, account, "schema_property_groups/") == [kept]
    recreated = await create_group(client, account, "g", [prop("a")])
    assert recreated["id"] != group["id"]
