"""A database that is down, starting up or shutting down gets 503 with Retry-After: never a traceback per
request in the log, and the client's keep-alive connection stays usable."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.fake_postgres import Mode, fake_postgres
from tests.app.helpers import app_settings, error
from tests.conftest import Backend
from tests.enforcement.servers import uvicorn_serving

UNAVAILABLE = error("server_error", "service_unavailable", "The database is unavailable; try again shortly.")
LIST = "/api/projects/@current/event_definitions/"
KEY = {"Authorization": "Bearer phx_anything"}


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """At most warnings, and none of them with a traceback."""
    loud = [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]
    assert loud == [], [record.getMessage() for record in loud]


@asynccontextmanager
async def in_process(url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app on a database at `url`; an exception that escapes the app fails the request (and the test)."""
    database = Database(url, pool_size=1)
    app = create_app(app_settings(), database=database)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await app.state.gateway.close()
        await database.dispose()


@pytest.mark.parametrize("mode", ["starting_up", "shutting_down", "connection_lost"])
async def test_postgres_starting_up_or_going_away_is_503(mode: Mode, caplog: pytest.LogCaptureFixture) -> None:
    async with fake_postgres(mode) as url, in_process(url) as http:
        responses = [
            await http.get(LIST, headers=KEY),
            await http.post(LIST, json={"name": "e"}, headers=KEY),
            await http.post(LIST, json={"name": "e", "personal_api_key": "phx_anything"}),
            await http.post("/e/", json={"api_key": "phc_anything", "event": "e", "distinct_id": "d"}),
        ]

    for response in responses:
        assert (response.status_code, response.json()) == (503, UNAVAILABLE)
        assert response.headers["retry-after"] == "5"
    assert_quiet(caplog)


@asynccontextmanager
async def down_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL of the back end's kind that cannot be used."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'no such directory' / 'eventschema.db'}"
        return
    async with fake_postgres("starting_up") as url:
        yield url


def local_port(response: httpx.Response) -> int | None:
    """The client's end of the connection the response came on; None once the server has closed it."""
    try:
        return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])
    except OSError:
        return None


async def test_a_503_keeps_the_connection_open(
    backend: Backend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with down_database(backend.name, tmp_path) as url:
        database = Database(url, pool_size=1)
        app = create_app(app_settings(), database=database)
        try:
            async with uvicorn_serving(app) as base, httpx.AsyncClient(base_url=base) as http:
                caplog.clear()  # uvicorn's start-up lines
                first = await http.get(LIST, headers=KEY)
                second = await http.post(LIST, json={"name": "e"}, headers=KEY)
                schema = await http.get("/api/schema/")
                ports = {local_port(response) for response in (first, second, schema)}
        finally:
            await app.state.gateway.close()
            await database.dispose()

    assert [first.status_code, second.status_code, schema.status_code] == [503, 503, 200]
    assert first.json() == UNAVAILABLE
    assert len(ports) == 1, "each request came on a new connection"
    assert_quiet(caplog)


async def test_a_client_that_leaves_before_its_body_arrives_is_no_error(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(app_settings(), database=db)
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": LIST,
        "raw_path": LIST.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
        "app": app,
    }
    try:
        await app(scope, receive, send)
    finally:
        await app.state.gateway.close()

    assert sent[0]["type"] == "http.response.start"
    assert_quiet(caplog)


async def test_an_outage_without_a_message_is_503_too(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(app_settings(), database=db)

    @app.get("/api/outage/", include_in_schema=False)
    async def outage() -> None:
        raise TimeoutError

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/api/outage/")
    await app.state.gateway.close()

    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert [record.getMessage() for record in caplog.records] == ["database unavailable: TimeoutError"]
