"""PostgreSQL LISTEN/NOTIFY: while its listener is connected a process trusts its cached plans, drops them when
another process announces a change, and falls back to version checks (forgetting everything) when it loses
the connection."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.enforcement import listener
from eventschema.enforcement.changes import schema_changed
from eventschema.enforcement.listener import APPLICATION_NAME
from eventschema.enforcement.repository import CHANNEL
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import NEW_SCHEMA_VERSION, define, validate
from tests.factories import Account, StatementCounter

INCOMPLETE = {"event": "signed up", "properties": {"plan": "pro"}}

# LISTEN/NOTIFY is PostgreSQL's: these tests run on that back end only.
pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def postgres(db: Database) -> Database:
    assert db.dialect == "postgresql"
    return db


async def _until(condition, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def _running(database: Database) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An app with its lifespan (and so its listener) running, once the listener is connected."""
    app = create_app(app_settings(), database=database)
    async with app.router.lifespan_context(app), app_client(app) as client:
        await _until(lambda: app.state.plans.notified)
        yield app, client


async def _change_elsewhere(database: Database, project_id: int, notify: bool) -> None:
    """What another process's schema write does: change rows, bump the version, and (maybe) announce it."""
    async with database.engine.begin() as connection:
        await connection.execute(text("UPDATE schema_properties SET is_required = false"))
        await connection.execute(text(NEW_SCHEMA_VERSION))
        if notify:
            await connection.execute(
                text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": str(project_id)}
            )


async def test_a_notification_drops_the_cached_plan(postgres: Database, account: Account) -> None:
    async with _running(postgres) as (app, client):
        await define(client, account)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False
        reads = app.state.revisions.reads
        with StatementCounter(postgres) as warm:
            await validate(client, account, INCOMPLETE)
        reads = app.state.revisions.reads - reads

        await _change_elsewhere(postgres, account.project_id, notify=True)

        deadline = asyncio.get_running_loop().time() + 1.0
        while (await validate(client, account, INCOMPLETE))[0]["valid"] is False:
            assert asyncio.get_running_loop().time() < deadline, "not seen within a second"
            await asyncio.sleep(0.02)
    # The plan and the key kept: one read of the revisions (over a connection of its own), nothing else.
    assert warm.count == 0
    assert reads == 1


async def test_a_lost_connection_falls_back_and_reconnects(postgres: Database, account: Account) -> None:
    async with _running(postgres) as (app, client):
        await define(client, account)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False

        async with postgres.engine.begin() as connection:
            killed = await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = :name"
                ),
                {"name": APPLICATION_NAME},
            )
            assert killed.all() == [(True,)]
        await _until(lambda: not app.state.plans.notified)
        # Missed while disconnected: no notification reaches anyone.
        await _change_elsewhere(postgres, account.project_id, notify=False)

        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True
        await _until(lambda: app.state.plans.notified)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True


async def test_a_lost_notification_is_made_up_for_by_the_version_check(
    postgres: Database, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that dies between its commit and its notification: the others notice within a heartbeat."""
    monkeypatch.setattr(listener, "HEARTBEAT_SECONDS", 0.2)
    async with _running(postgres) as (app, client):
        await define(client, account)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False

        await _change_elsewhere(postgres, account.project_id, notify=False)

        deadline = asyncio.get_running_loop().time() + 3.0
        while (await validate(client, account, INCOMPLETE))[0]["valid"] is False:
            assert asyncio.get_running_loop().time() < deadline, "stale plan kept past the version checks"
            await asyncio.sleep(0.05)
        assert app.state.plans.notified  # still listening: the version check found it, not a reconnect


async def test_writes_to_one_project_do_not_wait_for_each_other(postgres: Database, account: Account) -> None:
    """A schema change takes no lock that another writer of the same project has to wait for."""
    async with postgres.session(write=True) as first:
        await schema_changed(first, account.project_id)
        async with postgres.session(write=True) as second:
            async with asyncio.timeout(5):
                await schema_changed(second, account.project_id)
                await second.commit()
        await first.commit()
    async with postgres.engine.connect() as connection:
        found = await connection.execute(
            text("SELECT count(*) FROM schema_changes WHERE project_id = :p"), {"p": account.project_id}
        )
    assert found.scalar_one() == 2


async def test_a_listening_process_notifies_after_its_commits(postgres: Database, account: Account) -> None:
    """With its listener connected, a write's own transaction sends no NOTIFY (it would make every schema write of
    the database commit one at a time); the listener sends it once the write has committed."""
    heard: asyncio.Queue[str] = asyncio.Queue()
    watcher = await postgres.engine.raw_connection()  # a separate session, as another process would have
    try:
        driver = watcher.driver_connection
        await driver.add_listener(CHANNEL, lambda *args: heard.put_nowait(args[-1]))
        async with _running(postgres) as (_app, client):
            with StatementCounter(postgres) as statements:
                await define(client, account)
            async with asyncio.timeout(5):
                assert await heard.get() == str(account.project_id)
        assert not [s for s in statements.statements if "pg_notify" in s]
    finally:
        watcher.close()


async def test_the_app_stops_promptly_right_after_a_write(postgres: Database, account: Account) -> None:
    """Stopping while the listener is being woken to send a notification must not hang the app."""
    for attempt in range(10):
        app = create_app(app_settings(), database=postgres)
        async with asyncio.timeout(10):
            async with app.router.lifespan_context(app), app_client(app) as client:
                await _until(lambda app=app: app.state.plans.notified)  # type: ignore[misc]
                await define(client, account, event=f"event {attempt}", group=f"group {attempt}")
