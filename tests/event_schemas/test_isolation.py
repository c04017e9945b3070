"""Event schemas of one project are invisible from another, and ids of one project are unknown in another."""

import pytest

from tests.event_schemas.api import (
    NOT_FOUND,
    create_definition,
    create_group,
    does_not_exist,
    linked_pair,
    list_results,
)
from tests.factories import Account, make_account


@pytest.fixture
async def other(db) -> Account:
    return await make_account(db, email="b@example.com", project="Project B")


async def test_links_of_another_project_are_not_listed(client, account: Account, other: Account) -> None:
    created = await linked_pair(client, account)
    mine = await linked_pair(client, other, " b")
    assert [r["id"] for r in await list_results(client, other, "event_schemas/")] == [mine["id"]]
    assert [r["id"] for r in await list_results(client, account, "event_schemas/")] == [created["id"]]
    filtered = other.url(f"event_schemas/?event_definition={created['event_definition']}")
    assert (await client.get(filtered, headers=other.headers)).json()["count"] == 0


async def test_link_of_another_project_is_404(client, account: Account, other: Account) -> None:
    created = await linked_pair(client, account)
    body = {"event_definition": created["event_definition"], "property_group_id": created["property_group"]["id"]}
    url = other.url(f"event_schemas/{created['id']}/")
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        response = await client.request(method, url, json=body if method != "GET" else None, headers=other.headers)
        assert (method, response.status_code, response.json()) == (method, 404, NOT_FOUND)
    assert (await client.get(account.url(f"event_schemas/{created['id']}/"), headers=account.headers)).json() == created


async def test_create_with_a_definition_of_another_project(client, account: Account, other: Account) -> None:
    foreign = await create_definition(client, account, "foreign")
    group = await create_group(client, other, "mine")
    body = {"event_definition": foreign["id"], "property_group_id": group["id"]}
    response = await client.post(other.url("event_schemas/"), json=body, headers=other.headers)
    assert response.status_code == 400
    assert response.json() == does_not_exist(foreign["id"], "event_definition")


async def test_create_with_a_group_of_another_project(client, account: Account, other: Account) -> None:
    foreign = await create_group(client, account, "foreign")
    definition = await create_definition(client, other, "mine")
    body = {"event_definition": definition["id"], "property_group_id": foreign["id"]}
    response = await client.post(other.url("event_schemas/"), json=body, headers=other.headers)
    assert response.status_code == 400
    assert response.json() == does_not_exist(foreign["id"], "property_group_id")
    assert await list_results(client, other, "event_schemas/") == []


async def test_patch_with_ids_of_another_project(client, account: Account, other: Account) -> None:
    foreign = await linked_pair(client, account)
    mine = await linked_pair(client, other, " b")
    url = other.url(f"event_schemas/{mine['id']}/")
    group_id = foreign["property_group"]["id"]
    response = await client.patch(url, json={"property_group_id": group_id}, headers=other.headers)
    assert response.status_code == 400
    assert response.json() == does_not_exist(group_id, "property_group_id")
    definition_id = foreign["event_definition"]
    response = await client.patch(url, json={"event_definition": definition_id}, headers=other.headers)
    assert response.json() == does_not_exist(definition_id, "event_definition")
    assert (await client.get(url, headers=other.headers)).json() == mine
