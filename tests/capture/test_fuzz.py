"""Malformed capture payloads, generated from a fixed seed and posted to every capture route: never a 5xx, and
every event of an acknowledged request is in the event log or the quarantine."""

import base64
import gzip
import json
import random
import time
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from eventschema.app import create_app
from eventschema.capture.router import CAPTURE_PATHS
from eventschema.db import Database
from eventschema.models import EventLogEntry, OutboxEvent, QuarantinedEvent
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import define, project_token
from tests.factories import Account

PAYLOADS = 300
ODD_TEXT = ["", " ", "\x00", "a\x00b", "\ufffd", "\u2028", "😀" * 3, "\uffff", "é", "$", "x" * 500, "\\u0000"]
ODD_TIMES = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2024-02-30T00:00:00Z",
    "2024-01-01T00:00:00Z",
    "2024-01-01",
    "",
    "\x00",
    "9" * 40,
]
ODD_NUMBERS = [0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 1.5, -0.0, 1e308, True, False]


def _scalar(rng: random.Random) -> Any:
    return rng.choice([None, rng.choice(ODD_TEXT), rng.choice(ODD_NUMBERS), rng.random(), "plain"])


def _value(rng: random.Random, budget: int = 6) -> Any:
    """A random JSON value of bounded size."""
    roll = rng.random()
    if budget <= 0 or roll < 0.5:
        return _scalar(rng)
    if roll < 0.75:
        return [_value(rng, budget - 2) for _ in range(rng.randint(0, 3))]
    return {rng.choice([*ODD_TEXT, "k", "$set", "token"]): _value(rng, budget - 2) for _ in range(rng.randint(0, 3))}


def _deep(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = {"d": value} if level % 2 else [value]
    return value


def _event(rng: random.Random) -> Any:
    event: dict[str, Any] = {
        "event": rng.choice(["viewed", "checked", "$pageview", "x" * 400]),
        "distinct_id": rng.choice(["u1", "u2", 7, 1.5]),
        "properties": {"n": rng.randint(0, 9), "plan": rng.choice(["pro", 3, None])},
    }
    for _ in range(rng.randint(0, 3)):
        mutation = rng.randrange(11)
        if mutation == 0:
            event["event"] = rng.choice([*ODD_TEXT, 5, None, [], {}])
        elif mutation == 1:
            event["distinct_id"] = rng.choice([*ODD_TEXT, None, True, [], {}, *ODD_NUMBERS])
        elif mutation == 2:
            event["properties"] = rng.choice([_value(rng), [], "p", 5, None])
        elif mutation == 3 and isinstance(event.get("properties"), dict):
            event["properties"][rng.choice(ODD_TEXT)] = _value(rng)
        elif mutation == 4 and isinstance(event.get("properties"), dict):
            event["properties"]["deep"] = _deep(rng.choice([5, 98, 99, 100, 101, 200, 253, 254, 600]), _scalar(rng))
        elif mutation == 5:
            event[rng.choice(["timestamp", "sent_at", "offset"])] = rng.choice([*ODD_TIMES, *ODD_NUMBERS])
        elif mutation == 6 and isinstance(event.get("properties"), dict):
            event["properties"]["$schema_violations"] = _value(rng)
        elif mutation == 7 and isinstance(event.get("properties"), dict):
            event["properties"]["big"] = "y" * rng.choice([10_000, 200_000])
        elif mutation == 8:
            event[rng.choice(["$set", "uuid", "token", "api_key", "type"])] = _value(rng)
        elif mutation == 9:
            return _value(rng)
        else:
            event.pop(rng.choice(["event", "distinct_id", "properties"]), None)
    return event


def _json(rng: random.Random, data: Any) -> bytes:
    """orjson writes at most 254 levels; the standard library goes deeper, and escapes all but ASCII."""
    if rng.random() < 0.5:
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(data).encode()


def _encode(rng: random.Random, data: Any) -> tuple[bytes, dict[str, str]]:
    body = _json(rng, data)
    how = rng.randrange(4)
    if how == 0:
        return body, {"Content-Type": "application/json"}
    if how == 1:
        return gzip.compress(body), {"Content-Encoding": "gzip"}
    if how == 2:
        encoded = base64.b64encode(gzip.compress(body)).decode()
        return f"compression=gzip-js&data={encoded}".encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    return body, {"Content-Type": "text/plain"}


def _garbage(rng: random.Random, token: str) -> tuple[bytes, dict[str, str]]:
    whole = orjson.dumps({"api_key": token, "batch": [{"event": "e", "distinct_id": "u"}]})
    choice = rng.randrange(6)
    if choice == 0:
        return rng.randbytes(rng.randint(0, 300)), {}
    if choice == 1:
        return whole[: rng.randint(0, len(whole) - 1)], {}
    if choice == 2:
        return b"[" * 1100 + b"]" * 1100, {}
    if choice == 3:
        return gzip.compress(whole)[:-5], {"Content-Encoding": "gzip"}
    if choice == 4:
        return b"data=" + rng.randbytes(40), {"Content-Type": "application/x-www-form-urlencoded"}
    return orjson.dumps(_value(rng)), {}


async def _stored(db: Database, project_id: int) -> int:
    async with db.session(write=False) as session:
        total = 0
        for model in (EventLogEntry, OutboxEvent, QuarantinedEvent):
            statement = select(func.count()).select_from(model).where(model.project_id == project_id)
            total += (await session.execute(statement)).scalar_one()
        return total


@pytest.mark.parametrize("upstream", [False, True], ids=["event_log", "outbox"])
async def test_no_malformed_payload_gives_a_5xx_and_nothing_acknowledged_is_lost(
    db: Database, account: Account, upstream: bool
) -> None:
    # With an upstream, accepted events wait in the outbox (nothing forwards them here: no lifespan runs).
    settings = app_settings(upstream_url="http://127.0.0.1:9") if upstream else app_settings()
    async with app_client(create_app(settings, database=db)) as client:
        await _fuzz(client, db, account)


async def _fuzz(client: httpx.AsyncClient, db: Database, account: Account) -> None:
    await define(client, account, "checked", mode="reject")
    await define(client, account, "$pageview", mode="warn", group="pageview properties")
    token = await project_token(client, account)
    rng = random.Random(8)
    acknowledged = 0
    statuses: dict[int, int] = {}
    started = time.monotonic()

    for number in range(PAYLOADS):
        path = CAPTURE_PATHS[number % len(CAPTURE_PATHS)]
        events: list[Any] | None = None
        if rng.random() < 0.2:
            body, headers = _garbage(rng, token)
        else:
            events = [_event(rng) for _ in range(rng.randint(1, 4))]
            data: Any = {"api_key": token, "batch": events} if rng.random() < 0.8 else events
            if isinstance(data, list) and data and isinstance(data[0], dict):
                data[0]["api_key"] = token
            body, headers = _encode(rng, data)

        response = await client.post(path, content=body, headers=headers)

        assert response.status_code < 500, (number, body[:300], response.text)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 200:
            assert response.json() == {"status": 1}
            assert events is not None, body[:300]
            acknowledged += len(events)
        else:
            assert set(response.json()) == {"type", "code", "detail", "attr"}

    assert await _stored(db, account.project_id) == acknowledged
    # Whatever was stored, every page of it renders.
    for path in ("events/?limit=1000", "quarantine/?limit=1000"):
        assert (await client.get(account.url(path), headers=account.headers)).status_code == 200
    # The generator reaches both outcomes, and stays within its time budget.
    assert statuses.get(200, 0) > PAYLOADS // 5 and statuses.get(400, 0) > PAYLOADS // 10, statuses
    assert time.monotonic() - started < 30
