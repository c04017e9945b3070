"""SQL for retention: delete rows older than a cut-off, per project and in bounded chunks.

Each table's index starts with the project, so deleting project by project uses it; chunks keep each
transaction short beside capture's writes.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from eventschema.models import (
    Base,
    CredentialChange,
    EventLogEntry,
    Project,
    QuarantinedEvent,
    SchemaChange,
    ViolationCount,
)

CHUNK = 5_000


async def project_ids(session: AsyncSession) -> Sequence[int]:
    return (await session.execute(select(Project.id).order_by(Project.id))).scalars().all()


async def delete_old_events(session: AsyncSession, project_id: int, before: datetime) -> int:
    """At most CHUNK event log entries of the project received before `before`; returns how many."""
    condition = (EventLogEntry.project_id == project_id) & (EventLogEntry.received_at < before)
    return await _delete_chunk(session, EventLogEntry, EventLogEntry.id, condition)


async def delete_old_quarantined(session: AsyncSession, project_id: int, before: datetime) -> int:
    condition = (QuarantinedEvent.project_id == project_id) & (QuarantinedEvent.received_at < before)
    return await _delete_chunk(session, QuarantinedEvent, QuarantinedEvent.id, condition)


async def delete_old_counters(session: AsyncSession, project_id: int, before: datetime) -> int:
    """Counters are few per hour (one per event, property and reason): one statement takes them all."""
    statement = delete(ViolationCount).where(ViolationCount.project_id == project_id, ViolationCount.hour < before)
    return await _deleted(session, statement)


async def delete_old_changes(session: AsyncSession, project_id: int, before: datetime) -> int:
    """Schema changes recorded before `before`, except the project's latest, whose id is its schema version."""
    latest = select(func.max(SchemaChange.id)).where(SchemaChange.project_id == project_id).scalar_subquery()
    condition = (
        (SchemaChange.project_id == project_id) & (SchemaChange.changed_at < before) & (SchemaChange.id < latest)
    )
    return await _delete_chunk(session, SchemaChange, SchemaChange.id, condition)


async def delete_old_credential_changes(session: AsyncSession, before: datetime) -> int:
    """Credential changes recorded before `before`, except the latest, whose id is the credentials revision."""
    latest = select(func.max(CredentialChange.id)).scalar_subquery()
    condition = (CredentialChange.changed_at < before) & (CredentialChange.id < latest)
    return await _delete_chunk(session, CredentialChange, CredentialChange.id, condition)


async def _delete_chunk(
    session: AsyncSession, model: type[Base], key: InstrumentedAttribute[Any], condition: ColumnElement[bool]
) -> int:
    chunk = select(key).where(condition).limit(CHUNK).scalar_subquery()
    return await _deleted(session, delete(model).where(key.in_(chunk)))


async def _deleted(session: AsyncSession, statement: Delete) -> int:
    # On the Core connection: the ORM would fetch every deleted key to update a session that holds none.
    connection = await session.connection()
    return int((await connection.execute(statement)).rowcount)
