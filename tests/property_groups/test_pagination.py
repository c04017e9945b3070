"""Limit/offset pagination of schema_property_groups/ (ordered by name)."""

from tests.event_schemas.api import seed_groups
from tests.factories import Account


def absolute(account: Account, query: str) -> str:
    return f"http://testserver/api/projects/{account.project_id}/schema_property_groups/?{query}"


async def _page(client, account: Account, query: str) -> dict:
    response = await client.get(account.url(f"schema_property_groups/?{query}"), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_default_limit_is_100(client, db, account: Account) -> None:
    ids = await seed_groups(db, account, 101)
    body = await _page(client, account, "")
    assert body["count"] == 101
    assert [g["id"] for g in body["results"]] == ids[:100]
    assert (body["next"], body["previous"]) == (absolute(account, "limit=100&offset=100"), None)


async def test_exact_links_on_middle_and_last_pages(client, db, account: Account) -> None:
    ids = await seed_groups(db, account, 5)
    body = await _page(client, account, "offset=2&limit=2")
    assert [g["id"] for g in body["results"]] == ids[2:4]
    assert (body["next"], body["previous"]) == (absolute(account, "limit=2&offset=4"), absolute(account, "limit=2"))
    body = await _page(client, account, "limit=2&offset=4")
    assert [g["id"] for g in body["results"]] == ids[4:]
    assert (body["next"], body["previous"]) == (None, absolute(account, "limit=2&offset=2"))


async def test_offset_past_the_end(client, db, account: Account) -> None:
    await seed_groups(db, account, 2)
    body = await _page(client, account, "offset=10")
    assert (body["count"], body["results"], body["next"]) == (2, [], None)
    assert body["previous"] == absolute(account, "limit=100")


async def test_invalid_limit_means_100(client, db, account: Account) -> None:
    ids = await seed_groups(db, account, 3)
    for limit in ("0", "-5", "ten", "1.5"):
        body = await _page(client, account, f"offset=2&limit={limit}")
        assert (limit, [g["id"] for g in body["results"]]) == (limit, ids[2:])
        assert body["previous"] == absolute(account, "limit=100")


async def test_invalid_offset_means_0(client, db, account: Account) -> None:
    ids = await seed_groups(db, account, 2)
    for offset in ("-1", "x"):
        body = await _page(client, account, f"limit=1&offset={offset}")
        assert (offset, [g["id"] for g in body["results"]]) == (offset, ids[:1])
        assert (body["next"], body["previous"]) == (absolute(account, "limit=1&offset=1"), None)


async def test_unknown_params_are_kept_and_sorted(client, db, account: Account) -> None:
    await seed_groups(db, account, 3)
    body = await _page(client, account, "zeta=1&limit=1&alpha=b%20c&offset=1")
    assert body["next"] == absolute(account, "alpha=b+c&limit=1&offset=2&zeta=1")
    assert body["previous"] == absolute(account, "alpha=b+c&limit=1&zeta=1")


async def test_limit_is_capped_at_1000(client, db, account: Account) -> None:
    await seed_groups(db, account, 1001)
    body = await _page(client, account, "limit=100000")
    assert (body["count"], len(body["results"])) == (1001, 1000)
    assert body["next"] == absolute(account, "limit=1000&offset=1000")
