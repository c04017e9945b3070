"""/api/projects/:project_id/quarantine/: rejected events, kept to inspect, replay once the schema is fixed, or
delete."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from eventschema.db import Database
from eventschema.models import QuarantinedEvent
from tests.app.helpers import NOT_AUTHENTICATED, error, missing_scope, not_found
from tests.enforcement.helpers import api, captured_ok, define, event, logged, project_token, quarantined
from tests.factories import Account, StatementCounter, make_account, make_key

QUARANTINED_KEYS = {"id", "uuid", "event", "distinct_id", "properties", "violations", "reasons", "received_at"}


async def _fill(client, account: Account) -> dict:
    """Two rejected events of `signed up` (one missing, one mistyped) and one of `paid`."""
    created = await define(client, account, "signed up")
    await define(
        client, account, "paid", properties=[{"name": "amount", "property_type": "Numeric", "is_required": True}]
    )
    token = await project_token(client, account)
    await captured_ok(
        client,
        token,
        [
            {
                **event(distinct_id="a", plan="pro"),
                "timestamp": "2024-01-01T00:00:00Z",
                "uuid": "0190-x",
                "$set": {"k": 1},
            },
            event(distinct_id="b", plan="pro", seats="many"),
            event("paid", distinct_id="c", amount="lots"),
        ],
    )
    return created


async def test_list_and_retrieve(client, account: Account) -> None:
    await _fill(client, account)

    body = await api(client, account, "GET", "quarantine/")

    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert all(set(item) == QUARANTINED_KEYS for item in body["results"])
    # Newest first: within one request, the last event first.
    assert [item["distinct_id"] for item in body["results"]] == ["c", "b", "a"]
    first = body["results"][2]
    assert first["properties"] == {"plan": "pro"}
    assert first["reasons"] == ["missing_required"]
    assert first["violations"] == [
        {"property": "seats", "reason": "missing_required", "expected_types": ["Numeric"], "actual_value": None}
    ]
    assert await api(client, account, "GET", f"quarantine/{first['id']}/") == first


async def test_filters(client, account: Account) -> None:
    await _fill(client, account)
    now = datetime.now(UTC)

    def distinct_ids(results: list) -> list:
        return sorted(item["distinct_id"] for item in results)

    assert distinct_ids(await quarantined(client, account, "?event=paid")) == ["c"]
    assert distinct_ids(await quarantined(client, account, "?reason=type_mismatch")) == ["b", "c"]
    assert distinct_ids(await quarantined(client, account, "?reason=missing_required&event=signed+up")) == ["a"]
    past = (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    future = (now + timedelta(hours=1)).isoformat()
    assert len(await quarantined(client, account, f"?after={past}")) == 3
    assert await quarantined(client, account, f"?after={future.replace('+', '%2B')}") == []
    assert await quarantined(client, account, f"?before={past}") == []
    page = await api(client, account, "GET", "quarantine/?limit=2")
    assert (page["count"], len(page["results"])) == (3, 2)
    assert page["next"].endswith("?limit=2&offset=2")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?reason=bogus", error("validation_error", "invalid_choice", '"bogus" is not a valid choice.', "reason")),
        ("?after=yesterday", error("validation_error", "invalid_input", "Enter a valid date/time.", "after")),
        ("?before=2024-13-01", error("validation_error", "invalid_input", "Enter a valid date/time.", "before")),
        (
            "?event=a%00b",
            error("validation_error", "null_characters_not_allowed", "Null characters are not allowed.", "event"),
        ),
    ],
)
async def test_bad_filters_are_400(client, account: Account, query: str, expected: dict) -> None:
    response = await client.get(account.url(f"quarantine/{query}"), headers=account.headers)

    assert (response.status_code, response.json()) == (400, expected)


async def test_replay_after_fixing_the_schema(client, account: Account) -> None:
    created = await _fill(client, account)
    group = created["group"]
    relaxed = [{**p, "is_required": False} if p["name"] == "seats" else p for p in group["properties"]]
    await api(client, account, "PATCH", f"schema_property_groups/{group['id']}/", json={"properties": relaxed})

    result = await api(client, account, "POST", "quarantine/replay/", json={})

    # "a" passes now; optional properties are still type-checked when present, as in PostHog, so "b" (seats
    # "many") and "paid" still fail.
    assert result == {"forwarded": 1, "still_quarantined": 2}
    replayed = {item["distinct_id"]: item for item in await logged(client, account)}
    assert sorted(replayed) == ["a"]
    assert (replayed["a"]["event"], replayed["a"]["properties"]) == ("signed up", {"plan": "pro"})
    assert replayed["a"]["timestamp"] == "2024-01-01T00:00:00Z"
    assert sorted(item["distinct_id"] for item in await quarantined(client, account)) == ["b", "c"]


async def test_replay_refreshes_violations_of_events_that_still_fail(client, account: Account) -> None:
    created = await _fill(client, account)
    group = created["group"]
    retyped = [{**p, "property_type": "Boolean"} if p["name"] == "seats" else p for p in group["properties"]]
    await api(client, account, "PATCH", f"schema_property_groups/{group['id']}/", json={"properties": retyped})

    result = await api(
        client, account, "POST", "quarantine/replay/", json={"event": "signed up", "reason": "type_mismatch"}
    )

    assert result == {"forwarded": 0, "still_quarantined": 1}
    [still] = await quarantined(client, account, "?event=signed+up&reason=type_mismatch")
    assert still["violations"][0]["expected_types"] == ["Boolean"]


async def test_replay_when_the_definition_no_longer_rejects(client, account: Account) -> None:
    created = await _fill(client, account)
    await api(
        client, account, "PATCH", f"event_definitions/{created['definition']['id']}/", json={"enforcement_mode": "warn"}
    )
    ids = [item["id"] for item in await quarantined(client, account, "?event=signed+up")]

    result = await api(client, account, "POST", "quarantine/replay/", json={"ids": ids[:1]})

    assert result == {"forwarded": 1, "still_quarantined": 0}
    [marked] = await logged(client, account)
    assert marked["properties"]["$schema_violations"]
    assert len(await quarantined(client, account)) == 2


async def test_replay_by_the_time_received(client, account: Account, db) -> None:
    created = await _fill(client, account)
    await api(
        client, account, "PATCH", f"event_definitions/{created['definition']['id']}/", json={"enforcement_mode": "warn"}
    )
    held = await quarantined(client, account, "?event=signed+up")
    oldest, newest = held[-1], held[0]
    async with db.session(write=True) as session:
        await session.execute(
            update(QuarantinedEvent)
            .where(QuarantinedEvent.id == uuid.UUID(oldest["id"]))
            .values(received_at=datetime(2024, 1, 1, tzinfo=UTC))
        )
        await session.commit()

    none = await api(client, account, "POST", "quarantine/replay/", json={"before": "2023-12-31T23:59:59Z"})
    old = await api(
        client, account, "POST", "quarantine/replay/", json={"after": "2023-12-31T00:00", "before": "2024-01-02T00:00"}
    )

    assert none == {"forwarded": 0, "still_quarantined": 0}
    assert old == {"forwarded": 1, "still_quarantined": 0}
    assert [item["distinct_id"] for item in await logged(client, account)] == [oldest["distinct_id"]]
    assert newest["id"] in [item["id"] for item in await quarantined(client, account)]


async def test_replay_validation(client, account: Account) -> None:
    for body, attr in (
        ({"ids": ["nope"]}, "ids__0"),
        ({"reason": "bogus"}, "reason"),
        ({"ids": "x"}, "ids"),
        ({"event": "a\x00b"}, "event"),
        ({"after": "yesterday"}, "after"),
        ({"before": 0}, "before"),
    ):
        response = await client.post(account.url("quarantine/replay/"), json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.json()["attr"] == attr, body


async def test_delete(client, account: Account) -> None:
    await _fill(client, account)
    [first, *_rest] = await quarantined(client, account)

    await api(client, account, "DELETE", f"quarantine/{first['id']}/")
    again = await client.delete(account.url(f"quarantine/{first['id']}/"), headers=account.headers)

    assert (again.status_code, again.json()) == (404, not_found())
    assert len(await quarantined(client, account)) == 2
    for missing in (str(uuid.uuid4()), "not-a-uuid"):
        response = await client.get(account.url(f"quarantine/{missing}/"), headers=account.headers)
        assert (response.status_code, response.json()) == (404, not_found())


async def test_access(client, db: Database, account: Account) -> None:
    await _fill(client, account)
    [item, *_rest] = await quarantined(client, account)
    second = await make_account(db, email=account.email, project="Second")
    reader = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:read'])}"}
    nobody = {"Authorization": f"Bearer {await make_key(db, account.email, ['project:read'])}"}
    detail = account.url(f"quarantine/{item['id']}/")

    assert (await client.get(account.url("quarantine/"), headers=reader)).status_code == 200
    assert (await client.get(detail, headers=reader)).status_code == 200
    for method, url in (("POST", account.url("quarantine/replay/")), ("DELETE", detail)):
        response = await client.request(method, url, json={} if method == "POST" else None, headers=reader)
        assert (response.status_code, response.json()) == (403, missing_scope("event_definition:write"))
    response = await client.get(account.url("quarantine/"), headers=nobody)
    assert (response.status_code, response.json()) == (403, missing_scope("event_definition:read"))
    response = await client.get(account.url("quarantine/"))
    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)
    response = await client.get("/api/projects/999999/quarantine/", headers=account.headers)
    assert (response.status_code, response.json()) == (404, not_found("Project not found."))
    # Another project sees none of it and cannot touch it.
    assert await quarantined(client, second) == []
    response = await client.delete(second.url(f"quarantine/{item['id']}/"), headers=second.headers)
    assert response.status_code == 404
    assert await api(client, second, "POST", "quarantine/replay/", json={}) == {"forwarded": 0, "still_quarantined": 0}
    assert len(await quarantined(client, account)) == 3


async def test_a_page_costs_the_same_statements_whatever_its_size(
    client, account: Account, count_statements: StatementCounter
) -> None:
    await define(client, account)
    token = await project_token(client, account)
    await captured_ok(client, token, [event(plan="x")])
    with count_statements:
        await quarantined(client, account)
    small = count_statements.count
    count_statements.statements.clear()
    await captured_ok(client, token, [event(plan="x", n=i) for i in range(60)])

    with count_statements:
        await quarantined(client, account)

    assert count_statements.count == small


async def test_a_nul_in_a_replay_body_is_400(client, account: Account) -> None:
    response = await client.post(account.url("quarantine/replay/"), json={"event": "\x00"}, headers=account.headers)

    assert (response.status_code, response.json()) == (
        400,
        error("validation_error", "null_characters_not_allowed", "Null characters are not allowed.", "event"),
    )
