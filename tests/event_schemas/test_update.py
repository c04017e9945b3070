"""PATCH and PUT event_schemas/:id/: relinking to another definition or group."""

from tests.event_schemas.api import create_definition, create_group, group_events, instant, linked_pair
from tests.factories import Account


async def test_patch_event_definition(client, account: Account) -> None:
    created = await linked_pair(client, account)
    other = await create_definition(client, account, "logged in")
    url = account.url(f"event_schemas/{created['id']}/")
    response = await client.patch(url, json={"event_definition": other["id"]}, headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["event_definition"]) == (created["id"], other["id"])
    assert body["property_group"]["events"] == [{"id": other["id"], "name": "logged in"}]
    assert body["created_at"] == created["created_at"]
    assert instant(body["updated_at"]) > instant(created["updated_at"])


async def test_patch_property_group_moves_the_link(client, account: Account) -> None:
    created = await linked_pair(client, account)
    old_group = created["property_group"]["id"]
    await group_events(client, account, old_group)  # warm the rendered-group cache
    new_group = await create_group(client, account, "account")
    url = account.url(f"event_schemas/{created['id']}/")
    response = await client.patch(url, json={"property_group_id": new_group["id"]}, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["property_group"]["id"] == new_group["id"]
    assert await group_events(client, account, old_group) == []
    assert await group_events(client, account, new_group["id"]) == ["signed up"]


async def test_patch_with_empty_body_changes_nothing(client, account: Account) -> None:
    created = await linked_pair(client, account)
    url = account.url(f"event_schemas/{created['id']}/")
    response = await client.patch(url, json={}, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["event_definition"] == created["event_definition"]
    assert response.json()["property_group"]["id"] == created["property_group"]["id"]


async def test_patch_form_encoded(client, account: Account) -> None:
    created = await linked_pair(client, account)
    other = await create_definition(client, account, "logged in")
    url = account.url(f"event_schemas/{created['id']}/")
    response = await client.patch(url, data={"event_definition": other["id"]}, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["event_definition"] == other["id"]


async def test_put_replaces_both_sides(client, account: Account) -> None:
    created = await linked_pair(client, account)
    definition = await create_definition(client, account, "logged in")
    group = await create_group(client, account, "session")
    url = account.url(f"event_schemas/{created['id']}/")
    body = {"event_definition": definition["id"], "property_group_id": group["id"]}
    response = await client.put(url, json=body, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["event_definition"] == definition["id"]
    assert response.json()["property_group"]["name"] == "session"
    fetched = await client.get(url, headers=account.headers)
    assert fetched.json() == response.json()


async def test_put_with_the_same_pair_is_allowed(client, account: Account) -> None:
    created = await linked_pair(client, account)
    url = account.url(f"event_schemas/{created['id']}/")
    body = {"event_definition": created["event_definition"], "property_group_id": created["property_group"]["id"]}
    response = await client.put(url, json=body, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]
