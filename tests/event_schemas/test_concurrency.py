"""Two identical creates at once: exactly one wins, the other is the duplicate error (never a 500)."""

import asyncio

from tests.event_schemas.api import create_definition, create_group, error, list_results
from tests.factories import Account

ITERATIONS = 5


async def test_concurrent_duplicate_links(client, account: Account) -> None:
    definition = await create_definition(client, account, "e")
    for iteration in range(ITERATIONS):
        group = await create_group(client, account, f"group {iteration}")
        body = {"event_definition": definition["id"], "property_group_id": group["id"]}
        responses = await asyncio.gather(
            *(client.post(account.url("event_schemas/"), json=body, headers=account.headers) for _ in range(2))
        )
        assert sorted(r.status_code for r in responses) == [201, 400]
        loser = next(r for r in responses if r.status_code == 400)
        detail = f"Property group 'group {iteration}' is already added to this event schema"
        assert loser.json() == error("unique", detail)
    links = await list_results(client, account, "event_schemas/")
    assert len(links) == ITERATIONS
