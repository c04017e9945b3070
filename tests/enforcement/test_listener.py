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
from eventschema.enforcement.repository import CHANNEL
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import define, validate
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
        await connection.execute(text("UPDATE projects SET schema_version = schema_version + 1"))
        if notify:
            await connection.execute(
                text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": str(project_id)}
            )


async def test_a_notification_drops_the_cached_plan(postgres: Database, account: Account) -> None:
    async with _running(postgres) as (_app, client):
        await define(client, account)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False
        with StatementCounter(postgres) as warm:
            await validate(client, account, INCOMPLETE)

        await _change_elsewhere(postgres, account.project_id, notify=True)

        deadline = asyncio.get_running_loop().time() + 1.0
        while (await validate(client, account, INCOMPLETE))[0]["valid"] is False:
            assert asyncio.get_running_loop().time() < deadline, "not seen within a second"
            await asyncio.sleep(0.02)
    # Trusted while listening: no version query, only the key's.
    assert warm.count == 1


async def test_a_lost_connection_falls_back_and_reconnects(postgres: Database, account: Account) -> None:
    async with _running(postgres) as (app, client):
        await define(client, account)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False

        async with postgres.engine.begin() as connection:
            killed = await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                )
            )
            assert killed.all() == [(True,)]
        await _until(lambda: not app.state.plans.notified)
        # Missed while disconnected: no notification reaches anyone.
        await _change_elsewhere(postgres, account.project_id, notify=False)

        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True
        await _until(lambda: app.state.plans.notified)
        assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True
