"""Design rule 10 for schema_property_groups/: statements per list page do not grow with its size."""

from tests.event_schemas.api import count_list_statements, fresh_client, seed_links
from tests.factories import Account

PATH = "schema_property_groups/"


async def _warm_key(client, account: Account) -> None:
    """The first use of a key records it; do that before counting."""
    assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 200


async def test_statements_do_not_grow_with_groups(client, db, settings, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    await seed_links(db, account, 1)
    async with fresh_client(db, settings) as cold:
        one, body = await count_list_statements(cold, account, count_statements, PATH)
    assert [len(g["events"]) for g in body["results"]] == [1]
    await seed_links(db, account, 29, groups=6, prefix="more ")
    async with fresh_client(db, settings) as cold:
        many, body = await count_list_statements(cold, account, count_statements, PATH)
    assert sum(len(g["events"]) for g in body["results"]) == 30
    assert [len(g["properties"]) for g in body["results"]] == [2] * 7
    assert many == one


async def test_warm_cache_list_issues_fewer_statements(client, db, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    await seed_links(db, account, 30, groups=10)
    cold, first = await count_list_statements(client, account, count_statements, PATH)
    warm, second = await count_list_statements(client, account, count_statements, PATH)
    assert second == first
    assert warm < cold


async def test_groups_written_through_the_api_list_warm(client, account: Account, count_statements) -> None:
    await _warm_key(client, account)
    for name in ("a", "b", "c"):
        await client.post(account.url(PATH), json={"name": name}, headers=account.headers)
    first, _ = await count_list_statements(client, account, count_statements, PATH)
    again, body = await count_list_statements(client, account, count_statements, PATH)
    assert [g["name"] for g in body["results"]] == ["a", "b", "c"]
    assert again <= first
