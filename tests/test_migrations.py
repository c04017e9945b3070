"""Migrations run both ways on both back ends; 0003 drops the project foreign keys of capture's append-only
tables and keeps their rows; 0004 adds the event uuid to them, unique per project, and keeps their rows; 0005
moves schema versions from a counter on each project to a log of changes; 0008 adds password hashes, membership
update times and invitations; 0009 adds the observed-traffic tables and a project column without rebuilding
projects; 0010 adds console sessions, which go with their user; 0011 adds the log of credential changes; 0012
indexes the violation counters for their sums."""

import asyncio

from sqlalchemy import insert, inspect, select, text

from eventschema.auth import service as auth_service
from eventschema.db import Database
from eventschema.enforcement.changes import schema_changed
from eventschema.enforcement.repository import credentials_revision, schema_version
from eventschema.migrate import downgrade, upgrade
from eventschema.models import ConsoleSession, EventLogEntry, ViolationCount, utcnow
from tests.app.helpers import old_account
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


async def _add_old_event(session, project_id: int) -> None:
    """An event log row with only the columns that 0002 and 0003 know."""
    now = utcnow()
    values = {"project_id": project_id, "event": "kept", "distinct_id": "u", "properties": {"a": 1}}
    await session.execute(insert(EventLogEntry).values(**values, timestamp=now, received_at=now))


async def _uuid_indexes(database: Database) -> dict[str, list[tuple[list[str], bool]]]:
    async with database.engine.connect() as connection:

        def read(sync_connection) -> dict[str, list[tuple[list[str], bool]]]:
            inspector = inspect(sync_connection)
            return {
                table: [
                    (index["column_names"], bool(index["unique"]))
                    for index in inspector.get_indexes(table)
                    if "uuid" in index["column_names"]
                ]
                for table in APPEND_ONLY
            }

        return await connection.run_sync(read)


async def test_0004_adds_event_uuids_unique_per_project_and_keeps_the_rows(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0003")
    database = Database(database_url)
    try:
        account = await old_account(database)
        async with database.session(write=True) as session:
            await _add_old_event(session, account.project_id)
            await _add_old_event(session, account.project_id)
            await session.commit()
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)

        assert await _uuid_indexes(database) == {key: [(["project_id", "uuid"], True)] for key in APPEND_ONLY}
        async with database.session(write=False) as session:
            rows = (await session.execute(select(EventLogEntry.event, EventLogEntry.uuid))).all()
        # Older events have no uuid, and two of them do not collide.
        assert rows == [("kept", None), ("kept", None)]
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0003")

        assert await _uuid_indexes(database) == {key: [] for key in APPEND_ONLY}
    finally:
        await database.dispose()


async def test_0003_drops_the_project_foreign_keys_and_keeps_the_rows(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0002")
    database = Database(database_url)
    try:
        account = await old_account(database)
        async with database.session(write=True) as session:
            await _add_old_event(session, account.project_id)
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


async def _schema_state(database: Database) -> tuple[bool, list[int]]:
    """(whether projects still has schema_version, the project of each schema change)."""
    async with database.engine.connect() as connection:

        def read(sync_connection) -> tuple[bool, list[int]]:
            inspector = inspect(sync_connection)
            has_column = any(column["name"] == "schema_version" for column in inspector.get_columns("projects"))
            if not inspector.has_table("schema_changes"):
                return has_column, []
            found = sync_connection.execute(text("SELECT project_id FROM schema_changes ORDER BY id"))
            return has_column, [row[0] for row in found]

        return await connection.run_sync(read)


async def test_0005_moves_schema_versions_to_a_change_log(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0004")
    database = Database(database_url)
    try:
        first = await old_account(database)
        second = await old_account(database, email="second@example.com", project="Second")
        assert await _schema_state(database) == (True, [])
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)

        # One change per project, so every project's version is above zero; nothing that hangs off a project went.
        assert await _schema_state(database) == (False, [first.project_id, second.project_id])
        async with database.session(write=False) as session:
            memberships = (await session.execute(text("SELECT count(*) FROM organization_memberships"))).scalar_one()
        assert memberships == 2
        async with database.session(write=False) as session:
            assert await schema_version(session, second.project_id) > 0
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0004")

        assert await _schema_state(database) == (True, [])
    finally:
        await database.dispose()


async def _team_columns(database: Database) -> tuple[bool, bool, bool]:
    """(users.password_hash, organization_memberships.updated_at, the organization_invites table) exist."""
    async with database.engine.connect() as connection:

        def read(sync_connection) -> tuple[bool, bool, bool]:
            inspector = inspect(sync_connection)
            users = {column["name"] for column in inspector.get_columns("users")}
            memberships = {column["name"] for column in inspector.get_columns("organization_memberships")}
            return "password_hash" in users, "updated_at" in memberships, inspector.has_table("organization_invites")

        return await connection.run_sync(read)


async def _observed_state(database: Database) -> tuple[bool, bool, list[int]]:
    async with database.engine.connect() as connection:

        def read(sync_connection) -> tuple[bool, bool, list[int]]:
            inspector = inspect(sync_connection)
            column = any(c["name"] == "observe_examples" for c in inspector.get_columns("projects"))
            projects = [row[0] for row in sync_connection.execute(text("SELECT project_id FROM schema_changes"))]
            return column, inspector.has_table("observed_properties"), projects

        return await connection.run_sync(read)


async def test_0008_adds_passwords_membership_updates_and_invites(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0006")
    database = Database(database_url)
    try:
        await old_account(database)
        assert await _team_columns(database) == (False, False, False)
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)

        assert await _team_columns(database) == (True, True, True)
        async with database.session(write=False) as session:
            rows = (await session.execute(text("SELECT joined_at, updated_at FROM organization_memberships"))).all()
        # An existing membership was last updated when it was made.
        assert [(joined == updated) for joined, updated in rows] == [True]
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0006")

        assert await _team_columns(database) == (False, False, False)
    finally:
        await database.dispose()


async def test_0009_adds_the_observed_tables_and_keeps_what_hangs_off_projects(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0006")
    database = Database(database_url)
    try:
        account = await old_account(database)
        async with database.session(write=True) as session:
            await schema_changed(session, account.project_id)
            await session.commit()
        await database.dispose()
        await asyncio.to_thread(upgrade, database_url, "0008")
        assert await _observed_state(database) == (False, False, [account.project_id])
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)
        assert await _observed_state(database) == (True, True, [account.project_id])
        async with database.session(write=False) as session:
            examples = (await session.execute(text("SELECT observe_examples FROM projects"))).scalar_one()
        assert bool(examples) is True
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0008")
        assert await _observed_state(database) == (False, False, [account.project_id])
    finally:
        await database.dispose()


async def _console_sessions(database: Database) -> bool:
    async with database.engine.connect() as connection:
        return await connection.run_sync(lambda sync_connection: inspect(sync_connection).has_table("console_sessions"))


async def test_0010_adds_console_sessions_that_go_with_their_user(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0009")
    database = Database(database_url)
    try:
        assert await _console_sessions(database) is False
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)

        assert await _console_sessions(database) is True
        user_id = (await make_account(database)).user_id
        now = utcnow()
        async with database.session(write=True) as session:
            values = {"id": "a" * 64, "user_id": user_id, "csrf_token": "t", "created_at": now}
            await session.execute(insert(ConsoleSession).values(**values, expires_at=now, last_seen_at=now))
            await session.commit()
        async with database.session(write=True) as session:
            await session.execute(text("DELETE FROM personal_api_keys"))
            await session.execute(text("DELETE FROM organization_memberships"))
            await session.execute(text("DELETE FROM users"))
            await session.commit()
        async with database.session(write=False) as session:
            assert (await session.execute(text("SELECT count(*) FROM console_sessions"))).scalar_one() == 0
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0009")

        assert await _console_sessions(database) is False
    finally:
        await database.dispose()


async def _has_table(database: Database, table: str) -> bool:
    async with database.engine.connect() as connection:
        return bool(await connection.run_sync(lambda sync_connection: inspect(sync_connection).has_table(table)))


async def test_0011_adds_the_credential_changes_and_revoking_a_key_appends_one(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0010")
    database = Database(database_url)
    try:
        assert not await _has_table(database, "credential_changes")
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)
        account = await make_account(database)
        async with database.session(write=True) as session:
            assert await credentials_revision(session) == 0
            key = (await session.execute(text("SELECT id FROM personal_api_keys"))).scalar_one()
            await auth_service.revoke_key(session, key)
            await session.commit()
        async with database.session(write=False) as session:
            assert await credentials_revision(session) > 0
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0010")
        assert not await _has_table(database, "credential_changes")
        async with database.session(write=False) as session:  # what the other tables hold is kept
            assert (await session.execute(text("SELECT id FROM projects"))).scalar_one() == account.project_id
    finally:
        await database.dispose()


async def _violation_count_indexes(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: {index["name"] for index in inspect(sync).get_indexes("schema_violation_counts")}
        )


async def test_0012_indexes_violation_counters_for_their_sums_and_keeps_them(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0011")
    database = Database(database_url)
    index = "ix_schema_violation_counts_sums"
    try:
        account = await make_account(database)
        row = {"project_id": account.project_id, "hour": utcnow(), "event": "e", "property": "p", "reason": "r"}
        async with database.session(write=True) as session:
            await session.execute(insert(ViolationCount).values(**row, count=3))
            await session.commit()
        assert index not in await _violation_count_indexes(database)
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)
        assert index in await _violation_count_indexes(database)
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0011")
        assert index not in await _violation_count_indexes(database)
        async with database.session(write=False) as session:
            assert (await session.execute(select(ViolationCount.count))).scalar_one() == 3
    finally:
        await database.dispose()
