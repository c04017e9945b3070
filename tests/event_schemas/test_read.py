"""GET event_schemas/ and event_schemas/:id/: envelope, ordering, filter, retrieve."""

from tests.event_schemas.api import (
    EVENT_SCHEMA_KEYS,
    NO_SUCH_ID,
    create_definition,
    create_group,
    error,
    link,
    linked_pair,
)
from tests.factories import Account


async def test_list_empty(client, account: Account) -> None:
    response = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


async def test_list_shows_the_created_link(client, account: Account) -> None:
    created = await linked_pair(client, account)
    response = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [created]}
    assert list(response.json()["results"][0]) == EVENT_SCHEMA_KEYS
    assert created["property_group_id"] == created["property_group"]["id"]


async def test_list_is_newest_first(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    ids = []
    for name in ("first", "second", "third"):
        definition = await create_definition(client, account, name)
        ids.append((await link(client, account, definition["id"], group["id"]))["id"])
    response = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert [r["id"] for r in response.json()["results"]] == ids[::-1]


async def test_filter_by_event_definition(client, account: Account) -> None:
    group_a = await create_group(client, account, "a")
    group_b = await create_group(client, account, "b")
    wanted = await create_definition(client, account, "wanted")
    other = await create_definition(client, account, "other")
    first = await link(client, account, wanted["id"], group_a["id"])
    await link(client, account, other["id"], group_a["id"])
    second = await link(client, account, wanted["id"], group_b["id"])
    url = account.url(f"event_schemas/?event_definition={wanted['id']}")
    body = (await client.get(url, headers=account.headers)).json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [second["id"], first["id"]]


async def test_unknown_filter_is_empty_and_blank_filter_is_ignored(client, account: Account) -> None:
    await linked_pair(client, account)
    url = account.url(f"event_schemas/?event_definition={NO_SUCH_ID}")
    body = (await client.get(url, headers=account.headers)).json()
    assert (body["count"], body["results"]) == (0, [])
    body = (await client.get(account.url("event_schemas/?event_definition="), headers=account.headers)).json()
    assert body["count"] == 1


async def test_filter_that_is_not_a_uuid(client, account: Account) -> None:
    response = await client.get(account.url("event_schemas/?event_definition=nope"), headers=account.headers)
    assert response.status_code == 400
    assert response.json() == error("invalid_input", "Must be a valid UUID.", "event_definition")


async def test_retrieve(client, account: Account) -> None:
    created = await linked_pair(client, account)
    response = await client.get(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == created
