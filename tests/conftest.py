"""Test harness: every API test runs against SQLite and a real PostgreSQL.

Each back end gets a fresh database for the run, built by running the Alembic migrations; each
test starts from empty tables (they are emptied after every test). PostgreSQL is found at
EVENTSCHEMA_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres, then the
same as root); a per-run database is created there and dropped at the end. Set
EVENTSCHEMA_TEST_BACKENDS=sqlite to run without PostgreSQL on purpose.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.migrate import upgrade
from eventschema.models import Base
from eventschema.settings import Settings
from tests.app.helpers import app_client
from tests.factories import Account, StatementCounter, make_account

BACKENDS = [b.strip() for b in os.environ.get("EVENTSCHEMA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
ADMIN_URLS = [
    os.environ.get("EVENTSCHEMA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    "postgresql://root@127.0.0.1:5432/postgres",
]


async def _admin_connection() -> tuple[asyncpg.Connection, str]:
    errors = []
    for url in ADMIN_URLS:
        try:
            return await asyncpg.connect(url), url
        except Exception as exc:
            errors.append(f"{url}: {exc}")
    raise RuntimeError(
        "PostgreSQL is required for the test suite (set EVENTSCHEMA_TEST_BACKENDS=sqlite to skip it on purpose): "
        + "; ".join(errors)
    )


@dataclass
class Backend:
    name: str
    url: str
    database: Database


async def create_postgres_database() -> tuple[str, str]:
    """A fresh database for this run; returns (its URL, its name)."""
    connection, admin_url = await _admin_connection()
    name = f"eventschema_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


async def drop_postgres_database(name: str) -> None:
    connection, _ = await _admin_connection()
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` run first, SQLite's before PostgreSQL's, the rest in pytest's order (grouped by back
    end): spread over xdist workers, the long tests then overlap the many short ones instead of being the last
    thing one worker does while the other waits."""

    def backend_of(item: pytest.Item) -> str:
        callspec = getattr(item, "callspec", None)
        return str(callspec.params.get("backend", callspec.params.get("database_url", ""))) if callspec else ""

    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        rest = [item for item in items if not item.get_closest_marker("slow")]
        items[:] = sorted(slow, key=backend_of) + rest


@pytest.fixture(scope="session", params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    kind = request.param
    pg_name = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    elif kind == "postgresql":
        url, pg_name = await create_postgres_database()
    else:
        raise ValueError(f"unknown back end {kind!r}")
    await asyncio.to_thread(upgrade, url)
    database = Database(url, pool_size=5)
    try:
        yield Backend(kind, url, database)
    finally:
        await database.dispose()
        if pg_name:
            await drop_postgres_database(pg_name)


async def _empty_tables(database: Database) -> None:
    """Delete every row, children first, and restart id sequences (tests may name project 1).

    DELETE on the few rows a test leaves is several times faster than PostgreSQL's TRUNCATE.
    """
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    async with database.engine.begin() as connection:
        for table in tables:
            await connection.execute(text(f"DELETE FROM {table}"))
        if database.dialect == "postgresql":
            sequences = await connection.execute(text("SELECT sequencename FROM pg_sequences"))
            for (name,) in sequences.all():
                await connection.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


@pytest.fixture
async def db(backend: Backend) -> AsyncIterator[Database]:
    """The back end's database, emptied after the test."""
    try:
        yield backend.database
    finally:
        await _empty_tables(backend.database)


def test_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"rate_limit_enabled": False}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings() -> Settings:
    return test_settings()


@pytest.fixture
async def client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(settings, database=db)) as http:
        yield http


@pytest.fixture
async def account(db: Database) -> Account:
    return await make_account(db)


@pytest.fixture
def count_statements(db: Database) -> Iterator[StatementCounter]:
    yield StatementCounter(db)
