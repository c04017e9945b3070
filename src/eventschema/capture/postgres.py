"""The capture write path on PostgreSQL, straight on asyncpg.

Every capture commit goes through here, so it skips what a request needs elsewhere: no ORM session, no pool
checkout and reset, no statement compilation. The writer keeps its own connections (one per commit in flight)
and writes a `storage.Batch` in one transaction: its projects locked first, then COPY for the events (event log,
outbox, quarantine), one `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE` for what is added to
(definitions seen, violation counters). An event whose uuid its project already holds (an SDK sent its batch
again) makes COPY fail on the uuid's unique index; the transaction is then written again with
`INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING` for the events, which skips it. COPY costs PostgreSQL
about half as much as that INSERT, and resent batches are rare, so the common case keeps the cheap path. The tables
and their meaning are those of `storage.store`, which does the same through SQLAlchemy on SQLite; the tests run both.

Errors keep the meaning they have elsewhere: works for a project that no longer exists raise
`storage.UnknownProject` (checked first, with the projects locked), a row the database refuses raises
SQLAlchemy's `IntegrityError`, and a connection that cannot be opened or breaks raises `WriterUnavailable` (a
`ConnectionError`, answered 503). A connection that is not known to be sound is never reused.

Times go to PostgreSQL as what it stores: microseconds since 2000-01-01 UTC, packed as its binary format by
`struct` in C (`pg_time`, and the writer's codec for timestamptz). asyncpg's own codec does datetime arithmetic
in Python objects for every value, which made the two times of each event row two thirds of encoding the row.
"""

import logging
import struct
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from eventschema.capture.delivery import Delivery
from eventschema.capture.storage import Batch, UnknownProject, Work
from eventschema.db import driver_connect_args
from eventschema.ids import uuid7
from eventschema.models import (
    EventDefinition,
    EventLogEntry,
    OutboxEvent,
    Project,
    QuarantinedEvent,
    ViolationCount,
)

logger = logging.getLogger("eventschema.capture")

APPLICATION_NAME = "eventschema capture"

# The unique indexes that tell a resent event (see the top).
UUID_INDEXES = frozenset(
    f"uq_{table}_project_id_uuid" for table in ("event_log", "quarantined_events", "outbox_events")
)
LOG_COLUMNS = ["project_id", "uuid", "event", "distinct_id", "properties", "timestamp", "received_at"]
OUTBOX_COLUMNS = ["project_id", "token", "uuid", "payload", "attempts", "next_attempt_at"]
QUARANTINE_COLUMNS = [
    "id", "project_id", "uuid", "event", "distinct_id", "properties", "fields", "violations", "reasons", "received_at",
]  # fmt: skip
# The same rows as INSERTs that skip resent events. Arrays travel in asyncpg's binary format; JSON goes as text
# and is cast once per row by PostgreSQL.
ADD_TO_LOG = f"""
INSERT INTO {EventLogEntry.__tablename__} (project_id, uuid, event, distinct_id, properties, timestamp, received_at)
SELECT * FROM unnest($1::integer[], $2::uuid[], $3::text[], $4::text[], $5::json[], $6::timestamptz[],
                     $7::timestamptz[])
ON CONFLICT (project_id, uuid) DO NOTHING
"""
ADD_TO_OUTBOX = f"""
INSERT INTO {OutboxEvent.__tablename__} (project_id, token, uuid, payload, attempts, next_attempt_at)
SELECT * FROM unnest($1::integer[], $2::text[], $3::uuid[], $4::json[], $5::integer[], $6::timestamptz[])
ON CONFLICT (project_id, uuid) DO NOTHING
"""
ADD_TO_QUARANTINE = f"""
INSERT INTO {QuarantinedEvent.__tablename__}
    (id, project_id, uuid, event, distinct_id, properties, fields, violations, reasons, received_at)
SELECT * FROM unnest($1::uuid[], $2::integer[], $3::uuid[], $4::text[], $5::text[], $6::json[], $7::json[],
                     $8::json[], $9::text[], $10::timestamptz[])
ON CONFLICT (project_id, uuid) DO NOTHING
"""

LOCK_PROJECTS = f"SELECT id FROM {Project.__tablename__} WHERE id = ANY($1::integer[]) FOR KEY SHARE"
# Rows are sorted by their keys in both statements, so that concurrent writers lock them in the same order.
TOUCH_DEFINITIONS = f"""
INSERT INTO {EventDefinition.__tablename__}
    (id, project_id, name, description, enforcement_mode, flag_unexpected, created_at, last_seen_at)
SELECT id, project_id, name, '', 'allow', false, seen_at, seen_at
FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::timestamptz[]) AS seen (id, project_id, name, seen_at)
ON CONFLICT (project_id, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
"""
ADD_VIOLATION_COUNTS = f"""
INSERT INTO {ViolationCount.__tablename__} AS counter (project_id, hour, event, property, reason, count)
SELECT * FROM unnest($1::integer[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[])
ON CONFLICT (project_id, hour, event, property, reason) DO UPDATE SET count = counter.count + excluded.count
"""

# What says that the connection, not the statement, failed.
CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
)


class WriterUnavailable(ConnectionError):
    """PostgreSQL could not be reached, or the connection broke during the write."""


class ResentEvents(Exception):
    """COPY met an event whose uuid is already stored; the transaction was rolled back."""


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


_INT64 = struct.Struct("!q")
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def pg_time(value: datetime) -> int:
    """An aware datetime as PostgreSQL's timestamptz: microseconds since 2000-01-01 UTC (exact, in C)."""
    return (value - _PG_EPOCH) // _MICROSECOND


def _read_time(data: bytes) -> int:
    return int(_INT64.unpack(data)[0])


async def _connected(connection: asyncpg.Connection) -> asyncpg.Connection:
    """Every timestamptz the writer sends is a `pg_time`."""
    await connection.set_type_codec(
        "timestamptz", schema="pg_catalog", encoder=_INT64.pack, decoder=_read_time, format="binary"
    )
    return connection


class PostgresWriter:
    def __init__(self, engine: AsyncEngine, upstream: bool) -> None:
        self._connect_args, self._connect_kwargs = driver_connect_args(engine)
        # Named, so that operators (and tests) can tell them apart in pg_stat_activity.
        server_settings = {"application_name": APPLICATION_NAME, **self._connect_kwargs.get("server_settings", {})}
        self._connect_kwargs = {**self._connect_kwargs, "server_settings": server_settings}
        self._upstream = upstream
        self._idle: list[asyncpg.Connection] = []

    async def write(self, works: Sequence[Work]) -> None:
        """Write the works in one transaction; nothing of them is written if this raises."""
        batch = Batch.of(works)
        try:
            await self._write(batch, skip_resent=False)
        except ResentEvents:
            await self._write(batch, skip_resent=True)

    async def _write(self, batch: Batch, skip_resent: bool) -> None:
        connection, transaction = await self._begin()
        try:
            await self._statements(connection, batch, skip_resent)
            await transaction.commit()
        except BaseException as exc:
            # A refused statement or project leaves the transaction to roll back; anything else leaves the
            # connection in an unknown state, and it is dropped.
            if isinstance(exc, asyncpg.PostgresError | UnknownProject) and not isinstance(exc, CONNECTION_ERRORS):
                try:
                    await transaction.rollback()
                except Exception:
                    connection.terminate()
                else:
                    self._idle.append(connection)
            else:
                connection.terminate()
            if isinstance(exc, asyncpg.UniqueViolationError) and exc.constraint_name in UUID_INDEXES:
                raise ResentEvents from exc
            if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
                raise IntegrityError("capture write", None, exc) from exc
            if isinstance(exc, CONNECTION_ERRORS):
                raise WriterUnavailable(f"PostgreSQL connection lost during a capture write: {exc}") from exc
            raise
        self._idle.append(connection)

    @property
    def idle(self) -> int:
        """Connections kept for the next writes."""
        return len(self._idle)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            try:
                await connection.close(timeout=5)
            except Exception:
                connection.terminate()

    async def _begin(self) -> tuple[asyncpg.Connection, Any]:
        """A connection in a new transaction. An idle connection that turns out to be dead (the server restarted
        meanwhile) is replaced: nothing was sent on it yet."""
        while self._idle:
            connection = self._idle.pop()
            if connection.is_closed():
                continue
            transaction = connection.transaction()
            try:
                await transaction.start()
            except Exception as exc:
                # BEGIN fails only on a connection that no longer works (asyncpg may say so in several ways).
                logger.info("dropping a capture connection that no longer works: %r", exc)
                connection.terminate()
                continue
            return connection, transaction
        try:
            connection = await _connected(await asyncpg.connect(*self._connect_args, **self._connect_kwargs))
            transaction = connection.transaction()
            await transaction.start()
        except CONNECTION_ERRORS as exc:
            raise WriterUnavailable(f"cannot connect to PostgreSQL for a capture write: {exc}") from exc
        return connection, transaction

    async def _statements(self, connection: asyncpg.Connection, batch: Batch, skip_resent: bool) -> None:
        batch.require_projects(row["id"] for row in await connection.fetch(LOCK_PROJECTS, batch.projects))
        if batch.seen:
            seen = sorted(batch.seen.items())
            ids = [uuid7() for _ in seen]
            projects = [project_id for (project_id, _), _ in seen]
            names = [name for (_, name), _ in seen]
            await connection.execute(TOUCH_DEFINITIONS, ids, projects, names, [pg_time(at) for _, at in seen])
        if any(d.accepted for d in batch.deliveries):
            if self._upstream:
                outbox = _outbox_rows(batch.deliveries)
                table = OutboxEvent.__tablename__
                await _add(connection, skip_resent, ADD_TO_OUTBOX, table, OUTBOX_COLUMNS, outbox)
            else:
                log = _log_rows(batch.deliveries)
                table = EventLogEntry.__tablename__
                await _add(connection, skip_resent, ADD_TO_LOG, table, LOG_COLUMNS, log)
        if batch.rejected:
            held = _quarantine_rows(batch)
            table = QuarantinedEvent.__tablename__
            await _add(connection, skip_resent, ADD_TO_QUARANTINE, table, QUARANTINE_COLUMNS, held)
        if batch.counts:
            counts = sorted(batch.counts.items())
            columns: list[list[Any]] = [[key[i] for key, _ in counts] for i in range(5)]
            columns[1] = [pg_time(hour) for hour in columns[1]]
            await connection.execute(ADD_VIOLATION_COUNTS, *columns, [n for _, n in counts])


async def _add(
    connection: asyncpg.Connection, skip_resent: bool, insert: str, table: str, names: list[str], rows: list[Any]
) -> None:
    """COPY the rows (which fails on a resent event), or INSERT them column by column skipping resent events."""
    if skip_resent:
        await connection.execute(insert, *(list(column) for column in zip(*rows, strict=True)))
    else:
        await connection.copy_records_to_table(table, records=rows, columns=names)


def _log_rows(deliveries: Sequence[Delivery]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for d in deliveries:
        project_id, received_at = d.project_id, pg_time(d.received_at)
        rows += [
            (project_id, e.uuid, e.event, e.distinct_id, _json(e.properties), pg_time(e.timestamp), received_at)
            for e in d.accepted
        ]
    return rows


def _outbox_rows(deliveries: Sequence[Delivery]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for d in deliveries:
        project_id, token, received_at = d.project_id, d.token, pg_time(d.received_at)
        rows += [(project_id, token, e.uuid, _json(e.raw), 0, received_at) for e in d.accepted]
    return rows


def _quarantine_rows(batch: Batch) -> list[tuple[Any, ...]]:
    # Ids made in the same millisecond are not ordered by themselves; lists order a request's events by id.
    ids = sorted(uuid7() for _ in batch.rejected)
    return [
        (event_id, project_id, item.uuid, item.event, item.distinct_id, _json(item.properties), _json(item.fields),
         _json(item.violations), item.reasons, pg_time(received_at))
        for event_id, (project_id, received_at, item) in zip(ids, batch.rejected, strict=True)
    ]  # fmt: skip
