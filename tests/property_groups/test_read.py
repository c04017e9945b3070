"""GET schema_property_groups/ and schema_property_groups/:id/."""

from tests.event_schemas.api import GROUP_KEYS, create_group, list_results, prop
from tests.factories import Account


async def test_list_empty(client, account: Account) -> None:
    response = await client.get(account.url("schema_property_groups/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


async def test_list_shows_created_groups(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("b"), prop("a", "Object")], description="d")
    response = await client.get(account.url("schema_property_groups/"), headers=account.headers)
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [group]}
    assert list(response.json()["results"][0]) == GROUP_KEYS


async def test_list_is_ordered_by_name(client, account: Account) -> None:
    for name in ("checkout", "account", "zeta", "billing"):
        await create_group(client, account, name)
    groups = await list_results(client, account, "schema_property_groups/")
    assert [g["name"] for g in groups] == ["account", "billing", "checkout", "zeta"]


async def test_retrieve(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("z"), prop("m", "Numeric")])
    response = await client.get(account.url(f"schema_property_groups/{group['id']}/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == group
    assert [p["name"] for p in response.json()["properties"]] == ["m", "z"]
