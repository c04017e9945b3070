"""/api/ request bodies are bounded while they stream in (413), and never read before the cheap checks."""

from collections.abc import AsyncIterator

import orjson
import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings, error
from tests.factories import Account

LIMIT = 2048
BATCH_LIMIT = 64 * 1024


def too_large(limit: int = LIMIT) -> dict:
    return error("invalid_request", "request_too_large", f"Request body is larger than {limit} bytes.")


class Chunks:
    """A streamed body (no Content-Length) that records how much of it was asked for."""

    def __init__(self, body: bytes, size: int = 512) -> None:
        self.parts = [body[i : i + size] for i in range(0, len(body), size)]
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.sent += 1
            yield part


def json_of_size(size: int, **fields: object) -> bytes:
    body = orjson.dumps({**fields, "description": ""})
    return orjson.dumps({**fields, "description": "x" * (size - len(body))})


@pytest.fixture
async def limited(db: Database):
    settings = app_settings(api_max_body_bytes=LIMIT, api_max_batch_body_bytes=BATCH_LIMIT)
    async with app_client(create_app(settings, database=db)) as http:
        yield http


async def test_a_body_at_the_limit_is_read(limited, account: Account) -> None:
    body = json_of_size(LIMIT, name="at the limit")
    response = await limited.post(
        account.url("event_definitions/"), content=body, headers={**account.headers, "Content-Type": "application/json"}
    )

    assert len(body) == LIMIT
    assert response.status_code == 201


async def test_a_key_in_a_body_under_the_limit_still_authenticates(limited, account: Account) -> None:
    body = json_of_size(LIMIT, name="keyed", personal_api_key=account.api_key)
    response = await limited.post(
        account.url("event_definitions/"), content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 201


async def test_a_declared_length_over_the_limit_is_refused_before_reading(limited, account: Account) -> None:
    for headers in ({}, account.headers):
        stream = Chunks(json_of_size(LIMIT + 1, name="big"))
        response = await limited.post(
            account.url("event_definitions/"),
            content=stream,
            headers={**headers, "Content-Type": "application/json", "Content-Length": str(LIMIT + 1)},
        )
        assert (response.status_code, response.json()) == (413, too_large())
        assert stream.sent == 0


async def test_a_streamed_body_is_cut_off_at_the_limit(limited, account: Account) -> None:
    for headers in ({}, account.headers):
        stream = Chunks(json_of_size(100 * LIMIT, name="big", personal_api_key=account.api_key))
        response = await limited.post(
            account.url("event_definitions/"), content=stream, headers={**headers, "Content-Type": "application/json"}
        )
        assert (response.status_code, response.json()) == (413, too_large())
        assert stream.sent <= LIMIT // 512 + 1


async def test_form_and_multipart_bodies_are_bounded_too(limited, account: Account) -> None:
    form = await limited.post(account.url("event_definitions/"), data={"name": "f", "description": "x" * LIMIT})
    multipart = await limited.post(
        account.url("event_definitions/"),
        data={"name": "m"},
        files={"attachment": ("a.txt", b"x" * LIMIT, "text/plain")},
        headers=account.headers,
    )

    assert (form.status_code, form.json()) == (413, too_large())
    assert (multipart.status_code, multipart.json()) == (413, too_large())


async def test_an_unknown_header_key_is_refused_without_reading_the_body(limited, account: Account) -> None:
    stream = Chunks(json_of_size(100 * LIMIT, name="big"))
    response = await limited.post(
        account.url("event_definitions/"),
        content=stream,
        headers={"Authorization": "Bearer phx_unknown", "Content-Type": "application/json"},
    )

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert stream.sent == 0


async def test_batch_routes_take_the_batch_limit(limited, account: Account) -> None:
    url = account.url("event_schemas/validate/")
    batch = [{"event": "e", "properties": {"p": "x" * 100}}] * 100
    fits = orjson.dumps({"batch": batch})
    over = orjson.dumps({"batch": batch * 7})
    headers = {**account.headers, "Content-Type": "application/json"}

    accepted = await limited.post(url, content=fits, headers=headers)
    refused = await limited.post(url, content=over, headers=headers)

    assert LIMIT < len(fits) < BATCH_LIMIT < len(over)
    assert accepted.status_code == 200
    assert (refused.status_code, refused.json()) == (413, too_large(BATCH_LIMIT))


async def test_the_default_limits(db: Database) -> None:
    settings = app_settings()

    assert (settings.api_max_body_bytes, settings.api_max_batch_body_bytes) == (1024 * 1024, 20 * 1024 * 1024)
