"""Events whose content cannot be stored as sent (NUL characters, nesting beyond the depth limit) are quarantined
one by one as `invalid_event`, the rest of their batch stored; unusable timestamps fall back to the receive time;
clients cannot forge `$schema_violations`."""

import gzip
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import insert, select

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.models import EventLogEntry, OutboxEvent, QuarantinedEvent
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import api, captured_ok, define, event, logged, project_token, quarantined
from tests.factories import Account

NUL = "\x00"
NUL_MESSAGE = "Contains NUL characters (U+0000), which cannot be stored; they were replaced with U+FFFD."
DEEP_MESSAGE = "Nested deeper than 100 levels; what lies deeper was replaced with a marker."
TRUNCATED = "[nested deeper than 100 levels]"


def nested(depth: int) -> dict[str, Any]:
    """Properties `depth` levels deep, the properties object itself being level 1."""
    value: Any = 1
    for _ in range(depth):
        value = {"v": value}
    return value  # type: ignore[no-any-return]


def deep_batch(token: str, events: list[dict[str, Any]], depth: int) -> bytes:
    """A batch whose events with a property `deep` get it `depth` levels deep (more than orjson writes)."""
    marker = b'"deep":"DEEP"'
    body = orjson.dumps({"api_key": token, "batch": events}).replace(b'"deep":1', marker)
    return body.replace(marker, b'"deep":' + b'{"v":' * (depth - 1) + b"1" + b"}" * (depth - 1))


def depth_of(value: Any) -> int:
    depth = 0
    while isinstance(value, dict | list) and value:
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
        depth += 1
    return depth


def invalid(prop: str, message: str) -> dict[str, Any]:
    return {"property": prop, "reason": "invalid_event", "expected_types": [], "actual_value": None, "message": message}


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (event(f"sign{NUL}ed"), "event"),
        (event(distinct_id=f"u{NUL}"), "distinct_id"),
        (event(**{f"pl{NUL}an": "pro"}), "properties.pl\ufffdan"),
        (event(plan=f"p{NUL}ro"), "properties.plan"),
        (event(deep={"a": [1, {"b": f"x{NUL}"}]}), "properties.deep"),
        ({**event(), "$set": {"email": NUL}}, "$set"),
    ],
)
async def test_nul_characters_quarantine_only_their_event(client, account: Account, bad, where) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [event("good", n=1), bad, event("good", n=2)])

    assert [item["properties"]["n"] for item in await logged(client, account)] == [2, 1]
    [held] = await quarantined(client, account)
    assert held["reasons"] == ["invalid_event"]
    assert held["violations"] == [invalid(where, NUL_MESSAGE)]
    assert b"\\u0000" not in orjson.dumps(held)
    if where != "$set":  # the other fields are kept, but not listed
        assert "\ufffd" in orjson.dumps(held).decode()
    assert await api(client, account, "GET", f"quarantine/{held['id']}/") == held
    # No definition is made for a name that was not stored as sent.
    names = [item["name"] for item in (await api(client, account, "GET", "event_definitions/"))["results"]]
    assert names == ["good"]


async def test_a_nul_in_the_project_api_key_is_an_invalid_key(client, account: Account) -> None:
    token = await project_token(client, account)
    bodies: list[dict[str, Any]] = [
        {"api_key": token + NUL, "batch": [event()]},
        {"token": NUL, "batch": [event()]},
        {"batch": [{**event(), "properties": {"token": f"{token}{NUL}"}}]},
    ]
    for body in bodies:
        response = await client.post("/batch/", content=orjson.dumps(body))
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "invalid_api_key"
    assert await logged(client, account) == []


@pytest.mark.parametrize("depth", [99, 100])
async def test_properties_up_to_100_levels_are_stored_and_listed(client, account: Account, depth: int) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [event("deep", **nested(depth))])

    [stored] = await logged(client, account)
    assert depth_of(stored["properties"]) == depth
    assert await quarantined(client, account) == []


@pytest.mark.parametrize("depth", [101, 253, 254, 1000])
async def test_deeper_events_are_quarantined_alone(client, account: Account, depth: int) -> None:
    token = await project_token(client, account)

    body = deep_batch(token, [event("good", n=1), event("deep", deep=1), event("good", n=2)], depth)

    response = await client.post("/batch/", content=body)

    assert (response.status_code, response.json()) == (200, {"status": 1})
    assert [item["properties"]["n"] for item in await logged(client, account)] == [2, 1]
    [held] = await quarantined(client, account)
    assert (held["event"], held["reasons"]) == ("deep", ["invalid_event"])
    assert held["violations"] == [invalid("properties.deep", DEEP_MESSAGE)]
    assert depth_of(held["properties"]) == 100
    inner = held["properties"]["deep"]
    for _ in range(98):
        inner = inner["v"]
    assert inner == {"v": TRUNCATED}


async def test_deep_other_fields_are_quarantined_too(client, account: Account) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [{**event("deep"), "$set": nested(150)}, event("good")])

    assert [item["event"] for item in await logged(client, account)] == ["good"]
    [held] = await quarantined(client, account)
    assert held["violations"] == [invalid("$set", DEEP_MESSAGE)]


@pytest.mark.parametrize(("depth", "status"), [(1023, 200), (1024, 400), (5000, 400)])
async def test_the_parser_s_own_limit(client, account: Account, depth: int, status: int) -> None:
    token = await project_token(client, account)
    # One event as the body: the properties' levels plus the event's own.
    body = orjson.dumps({"api_key": token, **event("deep", **nested(10))}).replace(
        b'{"v":{"v":{"v":{"v":{"v":{"v":{"v":{"v":{"v":{"v":1}}}}}}}}}}', b'{"v":' * depth + b"1" + b"}" * depth
    )

    response = await client.post("/e/", content=body)

    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["code"] == "parse_error"
        assert await quarantined(client, account) == []
    else:
        [held] = await quarantined(client, account)
        assert held["reasons"] == ["invalid_event"]


async def test_invalid_events_stay_quarantined_on_replay(client, account: Account) -> None:
    await define(client, account, "checked", mode="reject", properties=[])
    token = await project_token(client, account)
    await captured_ok(client, token, [event("checked", p=NUL), event("checked", **nested(120))])

    result = await api(client, account, "POST", "quarantine/replay/", json={})

    assert result == {"forwarded": 0, "still_quarantined": 2}
    held = await quarantined(client, account, "?reason=invalid_event")
    assert [item["violations"][0]["message"] for item in held] == [DEEP_MESSAGE, NUL_MESSAGE]
    assert await logged(client, account) == []


async def _insert_log_row(db: Database, project_id: int, properties: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    async with db.session(write=True) as session:
        await session.execute(
            insert(EventLogEntry).values(
                project_id=project_id,
                event="old",
                distinct_id="u",
                properties=properties,
                timestamp=now,
                received_at=now,
            )
        )
        await session.commit()


async def test_a_stored_row_too_deep_to_render_never_breaks_a_page(client, db: Database, account: Account) -> None:
    # As stored before the depth limit: deep enough to pass the writer, too deep for a page around it.
    await _insert_log_row(db, account.project_id, nested(252))
    token = await project_token(client, account)
    await captured_ok(client, token, [event("new")])

    log = await logged(client, account)

    assert [item["event"] for item in log] == ["new", "old"]
    assert depth_of(log[1]["properties"]) == 100


async def test_a_stored_quarantined_row_too_deep_to_render_never_breaks_a_page(
    client, db: Database, account: Account
) -> None:
    now = datetime.now(UTC)
    async with db.session(write=True) as session:
        await session.execute(
            insert(QuarantinedEvent).values(
                id=uuid.uuid4(),
                project_id=account.project_id,
                event="old",
                distinct_id="u",
                properties=nested(252),
                fields={},
                violations=[],
                reasons="missing_required",
                received_at=now,
            )
        )
        await session.commit()

    [held] = await quarantined(client, account)

    assert depth_of(held["properties"]) == 100
    alone = await api(client, account, "GET", f"quarantine/{held['id']}/")
    assert depth_of(alone["properties"]) == 252


@pytest.mark.parametrize(
    "fields",
    [
        {"timestamp": "9999-12-31T23:59:59-14:00"},
        {"timestamp": "0001-01-01T00:00:00+14:00"},
        {"timestamp": "not a time"},
        {"timestamp": 12},
        {"offset": 2**62},
        {"offset": -(2**62)},
    ],
)
async def test_unusable_timestamps_fall_back_to_the_receive_time(client, account: Account, fields) -> None:
    token = await project_token(client, account)
    before = datetime.now(UTC) - timedelta(seconds=5)

    await captured_ok(client, token, [{**event("timed"), **fields}, event("plain")])

    stored = {item["event"]: item for item in await logged(client, account)}
    assert sorted(stored) == ["plain", "timed"]
    timed = stored["timed"]
    assert before <= datetime.fromisoformat(timed["timestamp"]) <= datetime.now(UTC)
    [(key, value)] = fields.items()
    assert timed["properties"] == {f"$ignored_{key}": value}


async def test_usable_timestamps_are_kept_in_utc(client, account: Account) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [{**event(), "timestamp": "2024-05-01T12:00:00+02:00"}])

    [stored] = await logged(client, account)
    assert (stored["timestamp"], stored["properties"]) == ("2024-05-01T10:00:00Z", {})


FORGED = [{"property": "nothing", "reason": "type_mismatch", "expected_types": [], "actual_value": None}]


async def test_clients_cannot_forge_schema_violations(client, account: Account) -> None:
    await define(client, account, "warned", mode="warn")
    await define(client, account, "rejected", mode="reject")
    token = await project_token(client, account)

    await captured_ok(
        client,
        token,
        [
            event("free", n=1, **{"$schema_violations": FORGED}),
            event("warned", plan="pro", **{"$schema_violations": FORGED}),
            event("rejected", plan="pro", **{"$schema_violations": FORGED}),
        ],
    )

    log = {item["event"]: item["properties"] for item in await logged(client, account)}
    assert log["free"] == {"n": 1}
    assert [v["property"] for v in log["warned"]["$schema_violations"]] == ["seats"]
    [held] = await quarantined(client, account)
    assert held["properties"] == {"plan": "pro"}
    assert [v["property"] for v in held["violations"]] == ["seats"]


async def test_forwarded_events_carry_no_forged_violations(db: Database, account: Account) -> None:
    app = create_app(app_settings(upstream_url="http://127.0.0.1:9"), database=db)
    async with app_client(app) as client:
        await define(client, account, "warned", mode="warn")
        token = await project_token(client, account)
        await captured_ok(
            client,
            token,
            [
                event("free", n=1, **{"$schema_violations": FORGED}),
                event("warned", plan="pro", **{"$schema_violations": FORGED}),
            ],
        )
    async with db.session(write=False) as session:
        payloads = (await session.execute(select(OutboxEvent.payload))).scalars().all()
    by_name = {payload["event"]: payload["properties"] for payload in payloads}
    assert by_name["free"] == {"n": 1}
    assert [v["property"] for v in by_name["warned"]["$schema_violations"]] == ["seats"]


async def test_one_log_line_per_quarantined_batch(client, account: Account, caplog) -> None:
    await define(client, account, "signed up", mode="reject")
    token = await project_token(client, account)
    caplog.set_level(logging.INFO, logger="eventschema.capture")

    await captured_ok(
        client, token, [event(plan="pro"), event(plan="pro", seats="x"), event(plan="pro"), event("ok"), event(p=NUL)]
    )
    await captured_ok(client, token, [event("ok")])

    lines = [record.getMessage() for record in caplog.records if record.name == "eventschema.capture"]
    assert lines == [
        f"quarantined 4 events of project {account.project_id}: signed up 4;"
        " reasons: invalid_event 1, missing_required 2, type_mismatch 1"
    ]


async def test_the_batch_is_stored_whatever_each_event_holds(client, account: Account) -> None:
    token = await project_token(client, account)
    events = [event("good", n=i) for i in range(5)]
    events[1]["properties"]["bad"] = NUL
    events[3]["properties"]["deep"] = 1
    body = gzip.compress(deep_batch(token, events, 300))

    response = await client.post("/e/", content=body, headers={"Content-Encoding": "gzip"})

    assert response.status_code == 200
    assert sorted(item["properties"]["n"] for item in await logged(client, account)) == [0, 2, 4]
    assert sorted(item["properties"]["n"] for item in await quarantined(client, account)) == [1, 3]


async def test_numbers_postgresql_writes_out_in_full_still_render(client, account: Account) -> None:
    # PostgreSQL keeps JSON numbers as numeric and writes 1e20 back as 21 digits: more than orjson renders as an
    # integer, so they must be read back as what they were sent as.
    held_definition = await define(
        client,
        account,
        "held",
        mode="reject",
        properties=[{"name": "must", "property_type": "String", "is_required": True}],
    )
    await define(client, account, "kept", mode="allow", properties=[])
    token = await project_token(client, account)
    numbers = {"big": 1e20, "huge": 1e308, "tiny": -1.5e-300, "u64": 2**64 - 1}

    await captured_ok(client, token, [event("kept", **numbers), event("held", **numbers)])

    [stored] = await logged(client, account)
    [held] = await quarantined(client, account)
    for properties in (stored["properties"], held["properties"]):
        assert {key: float(value) for key, value in properties.items()} == {
            key: float(value) for key, value in numbers.items()
        }
    definition_id = held_definition["definition"]["id"]
    await api(client, account, "PATCH", f"event_definitions/{definition_id}/", json={"enforcement_mode": "allow"})
    assert await api(client, account, "POST", "quarantine/replay/", json={}) == {"forwarded": 1, "still_quarantined": 0}
    assert len(await logged(client, account)) == 2


async def test_text_that_only_looks_like_an_escaped_nul_is_stored_as_sent(client, account: Account) -> None:
    token = await project_token(client, account)

    await captured_ok(client, token, [event("escaped", note="\\u0000 and \\\\u0000"), event("nul", note=NUL)])

    [stored] = await logged(client, account)
    assert (stored["event"], stored["properties"]) == ("escaped", {"note": "\\u0000 and \\\\u0000"})
    assert [item["event"] for item in await quarantined(client, account)] == ["nul"]
