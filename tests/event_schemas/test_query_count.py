"""Design rule 10: a list page issues the same number of statements whatever its size (no N+1)."""

from tests.event_schemas.api import count_list_statements, fresh_client, seed_links
from tests.factories import Account


async def _warm_key(client, account: Account) -> None:
    """The first use of a key records it; do that before counting."""
    assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 200


async def test_statements_do_not_grow_with_links(client, db, settings, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    await seed_links(db, account, 1)
    async with fresh_client(db, settings) as cold:
        one, body = await count_list_statements(cold, account, count_statements, "event_schemas/")
    assert body["count"] == 1
    await seed_links(db, account, 29, groups=4, prefix="more ")
    async with fresh_client(db, settings) as cold:
        thirty, body = await count_list_statements(cold, account, count_statements, "event_schemas/")
    assert len(body["results"]) == 30
    assert len({r["property_group"]["id"] for r in body["results"]}) == 5
    assert thirty == one


async def test_filtered_list_is_constant_too(client, db, settings, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    await seed_links(db, account, 2, groups=2)
    async with fresh_client(db, settings) as cold:
        one, _ = await count_list_statements(cold, account, count_statements, "event_schemas/?limit=1")
    async with fresh_client(db, settings) as cold:
        two, body = await count_list_statements(cold, account, count_statements, "event_schemas/?limit=2")
    assert len(body["results"]) == 2
    assert two == one


async def test_warm_cache_list_issues_fewer_statements(client, db, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    await seed_links(db, account, 30, groups=3)
    cold, first = await count_list_statements(client, account, count_statements, "event_schemas/")
    warm, second = await count_list_statements(client, account, count_statements, "event_schemas/")
    assert second == first
    assert warm < cold
