"""What the gateway does with each event: allow forwards, warn marks, reject quarantines; unknown names are
forwarded and get a definition; nothing is lost."""

from datetime import datetime

from tests.enforcement.helpers import api, captured_ok, define, event, logged, project_token, quarantined
from tests.factories import Account

VALID = {"plan": "pro", "seats": 3}
INVALID = {"plan": "pro", "seats": "many"}


async def test_reject_quarantines_invalid_events_and_forwards_valid_ones(client, account: Account) -> None:
    await define(client, account, mode="reject")
    token = await project_token(client, account)

    await captured_ok(client, token, [event(**VALID), event(distinct_id="user-2", **INVALID), event(plan="x")])

    log = await logged(client, account)
    assert [(item["event"], item["distinct_id"], item["properties"]) for item in log] == [
        ("signed up", "user-1", VALID)
    ]
    held = await quarantined(client, account)
    assert sorted((item["distinct_id"], item["reasons"]) for item in held) == [
        ("user-1", ["missing_required"]),
        ("user-2", ["type_mismatch"]),
    ]
    mismatch = next(item for item in held if item["distinct_id"] == "user-2")
    assert mismatch["properties"] == INVALID
    assert mismatch["violations"] == [
        {"property": "seats", "reason": "type_mismatch", "expected_types": ["Numeric"], "actual_value": "many"}
    ]


async def test_warn_forwards_invalid_events_marked_with_their_violations(client, account: Account) -> None:
    await define(client, account, mode="warn")
    token = await project_token(client, account)

    await captured_ok(client, token, [event(**INVALID), event(**VALID)])

    # Newest first: within one batch, the last event comes first.
    log = await logged(client, account)
    assert [item["properties"] for item in log] == [
        VALID,
        {
            **INVALID,
            "$schema_violations": [
                {"property": "seats", "reason": "type_mismatch", "expected_types": ["Numeric"], "actual_value": "many"}
            ],
        },
    ]
    assert await quarantined(client, account) == []


async def test_allow_forwards_everything_unchecked(client, account: Account) -> None:
    await define(client, account, mode="allow")
    token = await project_token(client, account)

    await captured_ok(client, token, [event(**INVALID), event()])

    assert len(await logged(client, account)) == 2
    assert all("$schema_violations" not in item["properties"] for item in await logged(client, account))
    assert await quarantined(client, account) == []


async def test_unknown_events_are_forwarded_and_defined(client, account: Account) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [event("clicked", button="buy"), event("clicked"), event("viewed")])

    assert sorted(item["event"] for item in await logged(client, account)) == ["clicked", "clicked", "viewed"]
    definitions = (await api(client, account, "GET", "event_definitions/"))["results"]
    assert [(d["name"], d["enforcement_mode"]) for d in definitions] == [("clicked", "allow"), ("viewed", "allow")]
    for definition in definitions:
        assert datetime.fromisoformat(definition["last_seen_at"]) >= datetime.fromisoformat(definition["created_at"])


async def test_known_definitions_get_last_seen_at(client, account: Account) -> None:
    created = await define(client, account, mode="reject")
    assert created["definition"]["last_seen_at"] is None
    token = await project_token(client, account)

    await captured_ok(client, token, [event(**INVALID)])

    definition = await api(client, account, "GET", f"event_definitions/{created['definition']['id']}/")
    assert definition["last_seen_at"] is not None
    assert definition["enforcement_mode"] == "reject"


async def test_nothing_is_lost(client, account: Account) -> None:
    await define(client, account, mode="reject")
    token = await project_token(client, account)
    events = [event(distinct_id=f"u{i}", **(VALID if i % 3 else INVALID)) for i in range(300)]

    for start in range(0, 300, 100):
        await captured_ok(client, token, events[start : start + 100])

    log = (await api(client, account, "GET", "events/?limit=1"))["count"]
    held = (await api(client, account, "GET", "quarantine/?limit=1"))["count"]
    assert (log, held) == (200, 100)
