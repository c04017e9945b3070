"""Migrations run both ways on both back ends; 0003 drops the project foreign keys of capture's append-only
tables and keeps their rows."""

import asyncio

from sqlalchemy import inspect, select

from eventschema.db import Database
from eventschema.migrate import downgrade, upgrade
from eventschema.models import EventLogEntry, utcnow
from tests.cli.helpers import database_url
from tests.factories import make_account

__all__ = ["database_url"]  # the fixture (an empty database per back end), from the CLI tests

APPEND_ONLY = ["event_log", "quarantined_events", "outbox_events"]


async def _project_foreign_keys(database: Database) -> dict[str, bool]:
    async with database.engine.connect() as connection:

        def read(sync_connection) -> dict[str, bool]:
            inspector = inspect(sync_connection)
            tables = [*APPEND_ONLY, "schema_violation_counts"]
            return {
                table: any(key["referred_table"] == "projects" for key in inspector.get_foreign_keys(table))
                for table in tables
            }

        return await connection.run_sync(read)


async def test_0003_drops_the_project_foreign_keys_and_keeps_the_rows(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0002")
    database = Database(database_url)
    try:
        account = await make_account(database)
        async with database.session(write=True) as session:
            now = utcnow()
            session.add(EventLogEntry(
                project_id=account.project_id, event="kept", distinct_id="u", properties={"a": 1}, timestamp=now,
                received_at=now,
            ))  # fmt: skip
            await session.commit()
        assert await _project_foreign_keys(database) == dict.fromkeys([*APPEND_ONLY, "schema_violation_counts"], True)
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)

        assert await _project_foreign_keys(database) == {
            **dict.fromkeys(APPEND_ONLY, False),
            "schema_violation_counts": True,
        }
        async with database.session(write=False) as session:
            rows = (await session.execute(select(EventLogEntry.event, EventLogEntry.properties))).all()
        assert rows == [("kept", {"a": 1})]
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0002")

        assert all((await _project_foreign_keys(database)).values())
    finally:
        await database.dispose()
