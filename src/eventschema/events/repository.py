"""SQL for the event log."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture.uuids import as_uuid
from eventschema.db import AnyRow
from eventschema.enforcement.repository import upsert_statement
from eventschema.models import EventLogEntry

# (project_id, uuid, event, distinct_id, properties, timestamp, received_at)
LogRow = tuple[int, str, str, str, dict[str, Any], datetime, datetime]
LOG_COLUMNS = ["project_id", "uuid", "event", "distinct_id", "properties", "timestamp", "received_at"]

COLUMNS = (
    EventLogEntry.id,
    EventLogEntry.uuid,
    EventLogEntry.event,
    EventLogEntry.distinct_id,
    EventLogEntry.properties,
    EventLogEntry.timestamp,
    EventLogEntry.received_at,
)


async def append(session: AsyncSession, rows: Sequence[LogRow]) -> None:
    """Add events; one whose uuid the project's log already holds (or that comes twice) is skipped."""
    if not rows:
        return
    insert = upsert_statement(session)(EventLogEntry).on_conflict_do_nothing(
        index_elements=[EventLogEntry.project_id, EventLogEntry.uuid]
    )
    values = [dict(zip(LOG_COLUMNS, (p, as_uuid(u), *rest), strict=True)) for p, u, *rest in rows]
    await session.execute(insert, values)


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
