"""Deleting either side of a link deletes the link; groups' `events` follow links and definition renames."""

from tests.event_schemas.api import create_definition, create_group, group_events, link, linked_pair, list_results
from tests.factories import Account


async def test_deleting_the_event_definition_deletes_its_links(client, account: Account) -> None:
    created = await linked_pair(client, account)
    group_id = created["property_group"]["id"]
    other = await create_definition(client, account, "kept")
    kept = await link(client, account, other["id"], group_id)
    assert await group_events(client, account, group_id) == ["kept", "signed up"]
    url = account.url(f"event_definitions/{created['event_definition']}/")
    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert [r["id"] for r in await list_results(client, account, "event_schemas/")] == [kept["id"]]
    assert (
        await client.get(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)
    ).status_code == 404
    assert await group_events(client, account, group_id) == ["kept"]


async def test_deleting_the_group_deletes_its_links(client, account: Account) -> None:
    created = await linked_pair(client, account)
    other_group = await create_group(client, account, "kept")
    kept = await link(client, account, created["event_definition"], other_group["id"])
    url = account.url(f"schema_property_groups/{created['property_group']['id']}/")
    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert [r["id"] for r in await list_results(client, account, "event_schemas/")] == [kept["id"]]
    assert (
        await client.get(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)
    ).status_code == 404


async def test_group_events_follow_link_create_and_delete(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    assert await group_events(client, account, group["id"]) == []
    beta = await create_definition(client, account, "beta")
    alpha = await create_definition(client, account, "Alpha")
    await link(client, account, beta["id"], group["id"])
    assert await group_events(client, account, group["id"]) == ["beta"]
    alpha_link = await link(client, account, alpha["id"], group["id"])
    assert await group_events(client, account, group["id"]) == ["Alpha", "beta"]
    await client.delete(account.url(f"event_schemas/{alpha_link['id']}/"), headers=account.headers)
    assert await group_events(client, account, group["id"]) == ["beta"]


async def test_group_events_are_sorted_case_insensitively(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    for name in ("delta", "Charlie", "bravo", "Alpha"):
        definition = await create_definition(client, account, name)
        last = await link(client, account, definition["id"], group["id"])
    assert [e["name"] for e in last["property_group"]["events"]] == ["Alpha", "bravo", "Charlie", "delta"]
    assert await group_events(client, account, group["id"]) == ["Alpha", "bravo", "Charlie", "delta"]


async def test_event_definition_rename_shows_in_groups_and_links(client, account: Account) -> None:
    created = await linked_pair(client, account)
    group_id = created["property_group"]["id"]
    links = await list_results(client, account, "event_schemas/")  # warm the rendered-group cache
    assert links[0]["property_group"]["events"][0]["name"] == "signed up"
    assert await group_events(client, account, group_id) == ["signed up"]
    url = account.url(f"event_definitions/{created['event_definition']}/")
    response = await client.patch(url, json={"name": "registered"}, headers=account.headers)
    assert response.status_code == 200
    assert await group_events(client, account, group_id) == ["registered"]
    links = await list_results(client, account, "event_schemas/")
    assert links[0]["property_group"]["events"] == [{"id": created["event_definition"], "name": "registered"}]


async def test_group_edit_shows_in_the_link_list(client, account: Account) -> None:
    created = await linked_pair(client, account)
    await list_results(client, account, "event_schemas/")  # warm the rendered-group cache
    url = account.url(f"schema_property_groups/{created['property_group']['id']}/")
    response = await client.patch(url, json={"description": "now described"}, headers=account.headers)
    assert response.status_code == 200
    links = await list_results(client, account, "event_schemas/")
    assert links[0]["property_group"]["description"] == "now described"
    assert links[0]["property_group"] == response.json()
