"""Two identical group creates at once: one 201, one duplicate-name 400, never a 500."""

import asyncio

from tests.event_schemas.api import error, list_results, prop
from tests.factories import Account

ITERATIONS = 5


async def test_concurrent_duplicate_group_names(client, account: Account) -> None:
    for iteration in range(ITERATIONS):
        body = {"name": f"dup {iteration}", "properties": [prop("a"), prop("b")]}
        responses = await asyncio.gather(
            *(client.post(account.url("schema_property_groups/"), json=body, headers=account.headers) for _ in range(2))
        )
        assert sorted(r.status_code for r in responses) == [201, 400]
        loser = next(r for r in responses if r.status_code == 400)
        assert loser.json() == error(
            "invalid_input", "A property group with this name already exists for this team", "name"
        )
    groups = await list_results(client, account, "schema_property_groups/")
    assert [g["name"] for g in groups] == [f"dup {i}" for i in range(ITERATIONS)]
    assert all(len(g["properties"]) == 2 for g in groups)


async def test_concurrent_patches_to_one_name(client, account: Account) -> None:
    for iteration in range(ITERATIONS):
        ids = []
        for side in ("left", "right"):
            response = await client.post(
                account.url("schema_property_groups/"), json={"name": f"{side} {iteration}"}, headers=account.headers
            )
            ids.append(response.json()["id"])
        responses = await asyncio.gather(
            *(
                client.patch(
                    account.url(f"schema_property_groups/{group_id}/"),
                    json={"name": f"same {iteration}"},
                    headers=account.headers,
                )
                for group_id in ids
            )
        )
        assert sorted(r.status_code for r in responses) == [200, 400]
