"""Pagination as list endpoints apply it."""

from tests.factories import Account


async def _create(client, account: Account, count: int) -> None:
    for index in range(count):
        response = await client.post(
            account.url("event_definitions/"), json={"name": f"e{index:02d}"}, headers=account.headers
        )
        assert response.status_code == 201


async def test_invalid_limit_and_offset_fall_back(client, account: Account) -> None:
    await _create(client, account, 3)

    for query in ("limit=0&offset=-1", "limit=-1", "limit=x&offset=y"):
        body = (await client.get(account.url(f"event_definitions/?{query}"), headers=account.headers)).json()
        assert len(body["results"]) == 3, query
        assert (body["next"], body["previous"]) == (None, None), query


async def test_offset_beyond_the_end(client, account: Account) -> None:
    await _create(client, account, 2)

    body = (await client.get(account.url("event_definitions/?offset=10&limit=1"), headers=account.headers)).json()

    assert body["count"] == 2
    assert body["results"] == []
    assert body["next"] is None
    assert body["previous"] == f"http://testserver{account.url('event_definitions/')}?limit=1&offset=9"


async def test_limit_is_capped_at_1000(client, account: Account) -> None:
    await _create(client, account, 2)

    body = (await client.get(account.url("event_definitions/?limit=5000&offset=1"), headers=account.headers)).json()

    assert [item["name"] for item in body["results"]] == ["e01"]
    assert body["previous"] == f"http://testserver{account.url('event_definitions/')}?limit=1000"


async def test_forwarded_headers_are_ignored_by_default(client, account: Account) -> None:
    await _create(client, account, 2)

    body = (
        await client.get(
            account.url("event_definitions/?limit=1"),
            headers={**account.headers, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example.com"},
        )
    ).json()

    assert body["next"] == f"http://testserver{account.url('event_definitions/')}?limit=1&offset=1"
