"""A group's read-only `events`: the definitions linked to it, kept fresh in list and retrieve (cached renders)."""

from tests.event_schemas.api import create_definition, create_group, link, list_results
from tests.factories import Account


async def _retrieve_events(client, account: Account, group_id: str) -> list[dict]:
    response = await client.get(account.url(f"schema_property_groups/{group_id}/"), headers=account.headers)
    return response.json()["events"]


async def _listed_events(client, account: Account) -> list[list[str]]:
    return [[e["name"] for e in g["events"]] for g in await list_results(client, account, "schema_property_groups/")]


async def test_events_follow_links_in_list_and_retrieve(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    definition = await create_definition(client, account, "Viewed")
    assert await _listed_events(client, account) == [[]]
    assert await _retrieve_events(client, account, group["id"]) == []
    created = await link(client, account, definition["id"], group["id"])
    assert await _listed_events(client, account) == [["Viewed"]]
    assert await _retrieve_events(client, account, group["id"]) == [{"id": definition["id"], "name": "Viewed"}]
    await client.delete(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)
    assert await _listed_events(client, account) == [[]]
    assert await _retrieve_events(client, account, group["id"]) == []


async def test_events_follow_definition_rename_and_delete(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    kept = await create_definition(client, account, "b kept")
    doomed = await create_definition(client, account, "a doomed")
    await link(client, account, kept["id"], group["id"])
    await link(client, account, doomed["id"], group["id"])
    assert await _listed_events(client, account) == [["a doomed", "b kept"]]
    url = account.url(f"event_definitions/{kept['id']}/")
    assert (await client.patch(url, json={"name": "0 renamed"}, headers=account.headers)).status_code == 200
    assert await _listed_events(client, account) == [["0 renamed", "a doomed"]]
    assert (
        await client.delete(account.url(f"event_definitions/{doomed['id']}/"), headers=account.headers)
    ).status_code == 204
    assert await _listed_events(client, account) == [["0 renamed"]]
    assert await _retrieve_events(client, account, group["id"]) == [{"id": kept["id"], "name": "0 renamed"}]


async def test_put_on_a_link_updates_both_groups(client, account: Account) -> None:
    first = await create_group(client, account, "a first")
    second = await create_group(client, account, "b second")
    definition = await create_definition(client, account, "e")
    created = await link(client, account, definition["id"], first["id"])
    assert await _listed_events(client, account) == [["e"], []]
    body = {"event_definition": definition["id"], "property_group_id": second["id"]}
    response = await client.put(account.url(f"event_schemas/{created['id']}/"), json=body, headers=account.headers)
    assert response.status_code == 200
    assert await _listed_events(client, account) == [[], ["e"]]


async def test_events_of_a_group_in_the_event_schema_list(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    first = await create_definition(client, account, "first")
    await link(client, account, first["id"], group["id"])
    await list_results(client, account, "event_schemas/")  # warm the rendered-group cache
    second = await create_definition(client, account, "Second")
    await link(client, account, second["id"], group["id"])
    links = await list_results(client, account, "event_schemas/")
    assert [[e["name"] for e in r["property_group"]["events"]] for r in links] == [["first", "Second"]] * 2
