"""When observed counts reach the database: every interval from a background task, and at shutdown; a flush
that fails is logged and never fails a capture."""

import asyncio

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from eventschema.db import Database
from eventschema.models import ObservedEvent
from eventschema.observed import repository
from eventschema.settings import Settings
from tests.app.helpers import app_settings
from tests.enforcement.helpers import captured_ok, event, project_token
from tests.factories import Account


@pytest.fixture
def settings() -> Settings:
    return app_settings(observe_flush_seconds=0.05)


async def _observed_events(db: Database) -> dict[str, int]:
    async with db.session(write=False) as session:
        return {row.event: row.events for row in (await session.execute(select(ObservedEvent))).scalars()}


async def test_the_background_task_flushes_every_interval(app: FastAPI, client, db: Database, account: Account) -> None:
    observer = app.state.gateway.observer
    task = asyncio.create_task(observer.run(db))
    try:
        await captured_ok(client, await project_token(client, account), [event("a"), event("a")])
        for _ in range(100):
            if await _observed_events(db):
                break
            await asyncio.sleep(0.05)
        assert await _observed_events(db) == {"a": 2}
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_what_is_left_is_written_when_the_gateway_closes(
    app: FastAPI, client, db: Database, account: Account
) -> None:
    await captured_ok(client, await project_token(client, account), [event("a")])
    assert await _observed_events(db) == {}

    await app.state.gateway.close()

    assert await _observed_events(db) == {"a": 1}


async def test_a_failed_flush_is_logged_and_captures_go_on(
    app: FastAPI, client, db: Database, account: Account, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    token = await project_token(client, account)
    real = repository.add_events

    async def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "add_events", broken)
    await captured_ok(client, token, [event("a")])
    await app.state.gateway.observer.flush()
    assert "could not write observed traffic" in caplog.text

    monkeypatch.setattr(repository, "add_events", real)
    await captured_ok(client, token, [event("a"), event("b")])
    await app.state.gateway.observer.flush()
    assert await _observed_events(db) == {"a": 1, "b": 1}
