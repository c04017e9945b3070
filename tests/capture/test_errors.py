"""Capture requests that cannot be read are refused with 400, without a valid project API key with 401; a
refused request stores nothing, not even its valid events."""

import base64
import gzip

import orjson
import pytest
from sqlalchemy import select, text

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.models import EventLogEntry
from tests.app.helpers import app_client, app_settings, error
from tests.enforcement.helpers import event, logged, project_token
from tests.factories import Account, make_account

MISSING_TOKEN = error(
    "authentication_error",
    "missing_api_key",
    "API key not provided. The project API key (api_token) is shown by `eventschema projects list` and"
    " `GET /api/projects/:id/`.",
)
INVALID_TOKEN = error(
    "authentication_error",
    "invalid_api_key",
    "Project API key invalid. The project API key (api_token) is shown by `eventschema projects list` and"
    " `GET /api/projects/:id/`.",
)
NAME = "Each event needs an 'event' name of 1 to 400 characters."
DISTINCT_ID = "Each event needs a 'distinct_id'."


def _invalid(detail: str, attr: str | None = None) -> dict[str, str | None]:
    return error("validation_error", "invalid_payload", detail, attr)


async def test_no_or_unknown_token_is_401(client, account: Account) -> None:
    for body, expected in (
        ({"batch": [event()]}, MISSING_TOKEN),
        ({"api_key": "", "batch": [event()]}, MISSING_TOKEN),
        ({"api_key": 7, "batch": [event()]}, MISSING_TOKEN),
        ({"api_key": "phc_nope", "batch": [event()]}, INVALID_TOKEN),
    ):
        response = await client.post("/batch/", content=orjson.dumps(body))
        assert response.status_code == 401, body
        assert response.json() == expected, body
    assert await logged(client, account) == []


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        ([], _invalid("No events in the payload.", "batch")),
        ("nope", _invalid('Expected an event, a list of events or {"batch": [...]}.', "batch")),
        ([event(), 5], _invalid("Each event must be an object.", "batch__1")),
        ([event(), {"distinct_id": "u"}], _invalid(NAME, "batch__1__event")),
        ([{"event": "", "distinct_id": "u"}], _invalid(NAME, "batch__0__event")),
        ([{"event": 3, "distinct_id": "u"}], _invalid(NAME, "batch__0__event")),
        ([{"event": "x" * 401, "distinct_id": "u"}], _invalid(NAME, "batch__0__event")),
        ([event(), {"event": "e"}], _invalid(DISTINCT_ID, "batch__1__distinct_id")),
        ([{"event": "e", "distinct_id": True}], _invalid(DISTINCT_ID, "batch__0__distinct_id")),
        ([{"event": "e", "distinct_id": ""}], _invalid(DISTINCT_ID, "batch__0__distinct_id")),
        (
            [{"event": "e", "distinct_id": "u", "properties": [1]}],
            _invalid("An event's properties must be an object.", "batch__0__properties"),
        ),
    ],
)
async def test_malformed_events_are_400(client, account: Account, batch, expected) -> None:
    token = await project_token(client, account)

    response = await client.post("/batch/", content=orjson.dumps({"api_key": token, "batch": batch}))

    assert response.status_code == 400
    assert response.json() == expected
    assert await logged(client, account) == []


async def test_unreadable_bodies_are_400(client, account: Account) -> None:
    token = await project_token(client, account)
    cases = [
        ({}, b"{not json", "parse_error"),
        ({"Content-Encoding": "gzip"}, b"not gzip at all", "invalid_payload"),
        ({"Content-Encoding": "gzip"}, gzip.compress(b'{"api_key": "TOKEN"}')[:-12], "invalid_payload"),
        # A readable batch followed by what is not another gzip member: refused whole, not cut short.
        (
            {"Content-Encoding": "gzip"},
            gzip.compress(orjson.dumps([{**event("a"), "api_key": token}])) + b"[{}]",
            "invalid_payload",
        ),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"other=1", "invalid_payload"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"data=%%%", "parse_error"),
    ]
    for headers, body, code in cases:
        response = await client.post("/e/", content=body.replace(b"TOKEN", token.encode()), headers=headers)
        assert response.status_code == 400, body
        assert response.json()["code"] == code, (body, response.json())
    assert await logged(client, account) == []


async def test_payloads_beyond_the_limit_are_413(db: Database, account: Account) -> None:
    app = create_app(app_settings(capture_max_payload_bytes=2048), database=db)
    async with app_client(app) as client:
        token = await project_token(client, account)
        small = orjson.dumps({"api_key": token, "batch": [event(padding="x" * 1000)]})
        large = orjson.dumps({"api_key": token, "batch": [event(padding="x" * 3000)]})
        bomb = gzip.compress(orjson.dumps({"api_key": token, "batch": [event(padding="y" * 100_000)]}))
        form_bomb = b"compression=gzip-js&data=" + base64.b64encode(bomb)

        assert (await client.post("/batch/", content=small)).status_code == 200
        for body, headers in (
            (large, {}),
            (bomb, {"Content-Encoding": "gzip"}),
            (bomb, {}),
            (form_bomb, {"Content-Type": "application/x-www-form-urlencoded"}),
        ):
            response = await client.post("/batch/", content=body, headers=headers)
            assert response.status_code == 413, headers
            assert response.json() == error(
                "invalid_request", "request_too_large", "Request body is larger than 2048 bytes.", None
            )
        assert len(await logged(client, account)) == 1


async def test_a_declared_length_beyond_the_limit_is_413_before_the_body_is_read(
    db: Database, account: Account
) -> None:
    app = create_app(app_settings(capture_max_payload_bytes=2048), database=db)
    received: list[int] = []

    async def body():
        # Streamed in chunks: the answer comes from the declared length, before any chunk is read.
        for _ in range(10):
            received.append(1)
            yield b"x" * 1024

    async with app_client(app) as client:
        response = await client.post("/e/", content=body(), headers={"Content-Length": "10240"})

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert received == []


async def test_other_verbs_are_405(client) -> None:
    for path in ("/batch/", "/e/"):
        response = await client.get(path)
        assert response.status_code == 405
        assert response.json() == error("invalid_request", "method_not_allowed", 'Method "GET" not allowed.')


async def test_a_project_deleted_behind_the_cache_s_back_is_401_and_nothing_is_stored(
    client, db: Database, account: Account
) -> None:
    token = await project_token(client, account)
    first = await client.post("/batch/", content=orjson.dumps({"api_key": token, "batch": [event("first")]}))
    assert first.status_code == 200  # the key is now cached by this process
    other = await make_account(db, email="other@example.com", project="Other")
    async with db.engine.begin() as connection:
        # As an operator would, by hand: no notification reaches the process's caches.
        await connection.execute(text("DELETE FROM projects WHERE id = :id"), {"id": account.project_id})

    second = await client.post("/batch/", content=orjson.dumps({"api_key": token, "batch": [event("second")]}))

    assert second.status_code == 401
    assert second.json() == INVALID_TOKEN
    async with db.session(write=False) as session:
        kept = (await session.execute(select(EventLogEntry.event, EventLogEntry.project_id))).all()
    assert kept == [("first", account.project_id)]
    assert other.project_id != account.project_id


async def test_a_project_deleted_during_the_request_is_401(db: Database, account: Account) -> None:
    # Deleted after its plan was read and before the commit: the commit finds the project gone.
    app = create_app(app_settings(), database=db)
    plans = app.state.gateway.plans
    read_plan = plans.get

    async def read_then_delete(session, project_id: int, version: int | None = None):
        plan = await read_plan(session, project_id, version)
        async with db.engine.begin() as connection:
            await connection.execute(text("DELETE FROM projects WHERE id = :id"), {"id": project_id})
        return plan

    async with app_client(app) as client:
        token = await project_token(client, account)
        plans.get = read_then_delete
        response = await client.post("/batch/", content=orjson.dumps({"api_key": token, "batch": [event("lost")]}))

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    async with db.session(write=False) as session:
        assert (await session.execute(select(EventLogEntry.event))).scalars().all() == []
