"""Limit/offset pagination of event_schemas/: defaults, invalid values, the cap, exact next/previous links."""

from eventschema.settings import Settings
from tests.event_schemas.api import create_definition, create_group, fresh_client, link, seed_links
from tests.factories import Account


def absolute(account: Account, query: str) -> str:
    return f"http://testserver/api/projects/{account.project_id}/event_schemas/?{query}"


async def _page(client, account: Account, query: str) -> dict:
    response = await client.get(account.url(f"event_schemas/?{query}"), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_default_limit_is_100(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 101)
    body = await _page(client, account, "")
    assert body["count"] == 101
    assert [r["id"] for r in body["results"]] == ids[::-1][:100]
    assert (body["next"], body["previous"]) == (absolute(account, "limit=100&offset=100"), None)


async def test_middle_page_links(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 5)
    body = await _page(client, account, "limit=2&offset=2")
    assert [r["id"] for r in body["results"]] == ids[::-1][2:4]
    assert body["next"] == absolute(account, "limit=2&offset=4")
    assert body["previous"] == absolute(account, "limit=2")


async def test_last_page_has_no_next(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 5)
    body = await _page(client, account, "offset=3&limit=2")
    assert [r["id"] for r in body["results"]] == ids[::-1][3:]
    assert body["next"] is None
    assert body["previous"] == absolute(account, "limit=2&offset=1")


async def test_pages_cover_everything_once(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 7)
    seen, query = [], "limit=3"
    while query is not None:
        body = await _page(client, account, query)
        seen += [r["id"] for r in body["results"]]
        query = body["next"].split("?", 1)[1] if body["next"] else None
    assert seen == ids[::-1]


async def test_invalid_limit_means_100(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 3)
    for limit in ("0", "-1", "abc", ""):
        body = await _page(client, account, f"limit={limit}&offset=1")
        assert (limit, [r["id"] for r in body["results"]]) == (limit, ids[::-1][1:])
        assert (body["next"], body["previous"]) == (None, absolute(account, "limit=100"))


async def test_invalid_offset_means_0(client, db, account: Account) -> None:
    ids = await seed_links(db, account, 3)
    for offset in ("-1", "x", ""):
        body = await _page(client, account, f"offset={offset}&limit=1")
        assert (offset, [r["id"] for r in body["results"]]) == (offset, [ids[-1]])
        assert (body["next"], body["previous"]) == (absolute(account, "limit=1&offset=1"), None)


async def test_limit_is_capped_at_1000(client, db, account: Account) -> None:
    """The effective limit shows in the links; schema_property_groups counts a full capped page."""
    ids = await seed_links(db, account, 3)
    body = await _page(client, account, "limit=5000&offset=1")
    assert [r["id"] for r in body["results"]] == ids[::-1][1:]
    assert (body["next"], body["previous"]) == (None, absolute(account, "limit=1000"))


async def test_filter_is_kept_in_links_and_params_are_sorted(client, account: Account) -> None:
    definition = await create_definition(client, account, "e")
    for name in ("a", "b", "c"):
        group = await create_group(client, account, name)
        await link(client, account, definition["id"], group["id"])
    event_id = definition["id"]
    body = await _page(client, account, f"offset=1&limit=1&event_definition={event_id}")
    assert body["count"] == 3
    assert body["next"] == absolute(account, f"event_definition={event_id}&limit=1&offset=2")
    assert body["previous"] == absolute(account, f"event_definition={event_id}&limit=1")


async def test_forwarded_headers_are_ignored_by_default(client, db, account: Account) -> None:
    await seed_links(db, account, 2)
    headers = {**account.headers, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    response = await client.get(account.url("event_schemas/?limit=1"), headers=headers)
    assert response.json()["next"] == absolute(account, "limit=1&offset=1")


async def test_forwarded_headers_when_the_proxy_is_trusted(db, account: Account) -> None:
    await seed_links(db, account, 2)
    headers = {**account.headers, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}
    async with fresh_client(db, Settings(rate_limit_enabled=False, trust_proxy_headers=True)) as proxied:
        response = await proxied.get(account.url("event_schemas/?limit=1"), headers=headers)
    expected = f"https://api.example.com/api/projects/{account.project_id}/event_schemas/?limit=1&offset=1"
    assert response.json()["next"] == expected


async def test_offset_past_the_end_keeps_the_count(client, db, account: Account) -> None:
    await seed_links(db, account, 3)
    body = await _page(client, account, "offset=5&limit=2")
    assert (body["count"], body["results"], body["next"]) == (3, [], None)
    assert body["previous"] == absolute(account, "limit=2&offset=3")
