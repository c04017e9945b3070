"""Property groups of one project are invisible from another."""

import pytest

from tests.event_schemas.api import NOT_FOUND, create_group, list_results, prop
from tests.factories import Account, make_account


@pytest.fixture
async def other(db) -> Account:
    return await make_account(db, email="b@example.com", project="Project B")


async def test_groups_of_another_project_are_not_listed(client, account: Account, other: Account) -> None:
    mine = await create_group(client, account, "a")
    theirs = await create_group(client, other, "b")
    assert await list_results(client, account, "schema_property_groups/") == [mine]
    assert await list_results(client, other, "schema_property_groups/") == [theirs]


async def test_group_of_another_project_is_404(client, account: Account, other: Account) -> None:
    group = await create_group(client, account, "g")
    url = other.url(f"schema_property_groups/{group['id']}/")
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        body = {"name": "stolen"} if method in ("PATCH", "PUT") else None
        response = await client.request(method, url, json=body, headers=other.headers)
        assert (method, response.status_code, response.json()) == (method, 404, NOT_FOUND)
    assert await list_results(client, account, "schema_property_groups/") == [group]


async def test_same_name_in_two_projects(client, account: Account, other: Account) -> None:
    await create_group(client, account, "shared")
    group = await create_group(client, other, "shared")
    assert group["name"] == "shared"


async def test_property_id_of_another_projects_group_is_refused(client, account: Account, other: Account) -> None:
    foreign = await create_group(client, account, "foreign", [prop("x")])
    mine = await create_group(client, other, "mine", [prop("a")])
    url = other.url(f"schema_property_groups/{mine['id']}/")
    body = {"properties": [{"id": foreign["properties"][0]["id"], **prop("x")}]}
    response = await client.patch(url, json=body, headers=other.headers)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["attr"]) == ("does_not_exist", "properties__0__id")
    assert await list_results(client, account, "schema_property_groups/") == [foreign]
