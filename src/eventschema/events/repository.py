"""SQL for the event log."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import EventLogEntry

# (project_id, event, distinct_id, properties, timestamp, received_at)
LogRow = tuple[int, str, str, dict[str, Any], datetime, datetime]
LOG_COLUMNS = ["project_id", "event", "distinct_id", "properties", "timestamp", "received_at"]

COLUMNS = (
    EventLogEntry.id,
    EventLogEntry.event,
    EventLogEntry.distinct_id,
    EventLogEntry.properties,
    EventLogEntry.timestamp,
    EventLogEntry.received_at,
)


async def append(session: AsyncSession, rows: Sequence[LogRow]) -> None:
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        await _copy(session, rows)
        return
    await session.execute(insert(EventLogEntry), [dict(zip(LOG_COLUMNS, row, strict=True)) for row in rows])


async def _copy(session: AsyncSession, rows: Sequence[LogRow]) -> None:
    """COPY, the cheapest way in for both PostgreSQL and asyncpg, on the session's own connection.

    SQLAlchemy has no COPY, so it goes straight to asyncpg; it must still belong to the session's transaction,
    and SQLAlchemy's asyncpg adapter only sends BEGIN with its first statement: one is sent first if none was.
    """
    connection = await session.connection()
    driver: Any = (await connection.get_raw_connection()).driver_connection  # asyncpg's, untyped
    if not driver.is_in_transaction():
        await connection.execute(select(1))
    records = [(p, e, d, orjson.dumps(properties).decode(), t, r) for p, e, d, properties, t, r in rows]
    await driver.copy_records_to_table("event_log", records=records, columns=LOG_COLUMNS)


async def page(
    session: AsyncSession, project_id: int, event: str | None, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    """Newest first; the total comes from a second statement, as a window count would read every row."""
    condition = EventLogEntry.project_id == project_id
    if event is not None:
        condition = condition & (EventLogEntry.event == event)
    total = (await session.execute(select(func.count()).select_from(EventLogEntry).where(condition))).scalar_one()
    statement = (
        select(*COLUMNS)
        .where(condition)
        .order_by(EventLogEntry.received_at.desc(), EventLogEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return total, (await session.execute(statement)).all()
