"""GET /api/projects/:project_id/events/: the local event log, newest first, filterable by event name."""

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, missing_scope, not_found
from tests.enforcement.helpers import api, captured_ok, event, logged, project_token
from tests.factories import Account, StatementCounter, make_account, make_key

EVENT_KEYS = {"id", "uuid", "event", "distinct_id", "properties", "timestamp", "received_at"}


async def test_newest_first_paginated_and_filtered(client, account: Account) -> None:
    token = await project_token(client, account)
    for batch in range(3):
        await captured_ok(client, token, [event("a", n=batch), event("b", n=batch)])

    body = await api(client, account, "GET", "events/?limit=4")

    assert body["count"] == 6
    assert all(set(item) == EVENT_KEYS for item in body["results"])
    assert [(item["event"], item["properties"]["n"]) for item in body["results"]] == [
        ("b", 2),
        ("a", 2),
        ("b", 1),
        ("a", 1),
    ]
    assert body["next"].endswith("/events/?limit=4&offset=4")
    rest = await api(client, account, "GET", "events/?limit=4&offset=4")
    assert [(item["event"], item["properties"]["n"]) for item in rest["results"]] == [("b", 0), ("a", 0)]
    assert [item["properties"]["n"] for item in await logged(client, account, "?event=a")] == [2, 1, 0]
    assert (await api(client, account, "GET", "events/?event=a&limit=1"))["next"].endswith("?event=a&limit=1&offset=1")
    assert await logged(client, account, "?event=zzz") == []


async def test_access_and_isolation(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    await captured_ok(client, await project_token(client, account), [event("mine")])
    await captured_ok(client, await project_token(client, second), [event("theirs")])
    reader = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:read'])}"}
    nobody = {"Authorization": f"Bearer {await make_key(db, account.email, ['user:read'])}"}

    assert [item["event"] for item in await logged(client, account)] == ["mine"]
    assert [item["event"] for item in await logged(client, second)] == ["theirs"]
    assert (await client.get(account.url("events/"), headers=reader)).status_code == 200
    response = await client.get(account.url("events/"), headers=nobody)
    assert (response.status_code, response.json()) == (403, missing_scope("event_definition:read"))
    response = await client.get(account.url("events/"))
    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)
    response = await client.get("/api/projects/999999/events/", headers=account.headers)
    assert (response.status_code, response.json()) == (404, not_found("Project not found."))
    response = await client.post(account.url("events/"), json={}, headers=account.headers)
    assert response.status_code == 405


async def test_a_page_costs_the_same_statements_whatever_its_size(
    client, account: Account, count_statements: StatementCounter
) -> None:
    token = await project_token(client, account)
    await captured_ok(client, token, [event("a")])
    with count_statements:
        await logged(client, account)
    small = count_statements.count
    count_statements.statements.clear()
    await captured_ok(client, token, [event("a", n=i) for i in range(60)])

    with count_statements:
        await logged(client, account)

    assert count_statements.count == small


async def test_a_nul_in_the_event_filter_is_400(client, account: Account) -> None:
    response = await client.get(account.url("events/?event=a%00b"), headers=account.headers)

    assert (response.status_code, response.json()) == (
        400,
        error("validation_error", "null_characters_not_allowed", "Null characters are not allowed.", "event"),
    )
