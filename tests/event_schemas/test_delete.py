"""DELETE event_schemas/:id/."""

from tests.event_schemas.api import NOT_FOUND, group_events, linked_pair, list_results
from tests.factories import Account


async def test_delete_then_404(client, account: Account) -> None:
    created = await linked_pair(client, account)
    url = account.url(f"event_schemas/{created['id']}/")
    response = await client.delete(url, headers=account.headers)
    assert response.status_code == 204
    assert response.content == b""
    response = await client.get(url, headers=account.headers)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert await list_results(client, account, "event_schemas/") == []


async def test_delete_twice_is_404(client, account: Account) -> None:
    created = await linked_pair(client, account)
    url = account.url(f"event_schemas/{created['id']}/")
    await client.delete(url, headers=account.headers)
    response = await client.delete(url, headers=account.headers)
    assert response.status_code == 404


async def test_delete_keeps_both_sides(client, account: Account) -> None:
    created = await linked_pair(client, account)
    group_id = created["property_group"]["id"]
    assert await group_events(client, account, group_id) == ["signed up"]
    await client.delete(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)
    assert await group_events(client, account, group_id) == []
    definitions = await list_results(client, account, "event_definitions/")
    assert [d["id"] for d in definitions] == [created["event_definition"]]
