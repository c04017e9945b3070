"""SQL for quarantined events."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture.uuids import as_uuid
from eventschema.enforcement.repository import upsert_statement
from eventschema.ids import uuid7
from eventschema.models import QuarantinedEvent


@dataclass(frozen=True, slots=True)
class Filters:
    event: str | None = None
    reason: str | None = None
    after: datetime | None = None
    before: datetime | None = None
    ids: Sequence[UUID] | None = None


def matching(project_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    conditions = [QuarantinedEvent.project_id == project_id]
    if filters.event is not None:
        conditions.append(QuarantinedEvent.event == filters.event)
    if filters.reason is not None:
        # No reason's name contains another's, so a substring match on the comma-separated list is exact.
        conditions.append(QuarantinedEvent.reasons.contains(filters.reason, autoescape=True))
    if filters.after is not None:
        conditions.append(QuarantinedEvent.received_at >= filters.after)
    if filters.before is not None:
        conditions.append(QuarantinedEvent.received_at < filters.before)
    if filters.ids is not None:
        conditions.append(QuarantinedEvent.id.in_(filters.ids))
    return conditions


async def add(session: AsyncSession, rows: Sequence[tuple[int, datetime, Any]]) -> None:
    """Store rejected events: (project id, received at, `capture.triage.Rejected`).

    Their ids are sorted: ids made in the same millisecond are not ordered by themselves, and lists order the
    events of one request by id. An event whose uuid the project's quarantine already holds is skipped.
    """
    if not rows:
        return
    ids = sorted(uuid7() for _ in rows)
    insert = upsert_statement(session)(QuarantinedEvent).on_conflict_do_nothing(
        index_elements=[QuarantinedEvent.project_id, QuarantinedEvent.uuid]
    )
    await session.execute(
        insert,
        [
            {
                "id": event_id,
                "project_id": project_id,
                "uuid": as_uuid(item.uuid),
                "event": item.event,
                "distinct_id": item.distinct_id,
                "properties": item.properties,
                "fields": item.fields,
                "violations": item.violations,
                "reasons": item.reasons,
                "received_at": received_at,
            }
            for event_id, (project_id, received_at, item) in zip(ids, rows, strict=True)
        ],
    )


async def page(
    session: AsyncSession, project_id: int, filters: Filters, limit: int, offset: int
) -> tuple[int, Sequence[QuarantinedEvent]]:
    """Newest first."""
    conditions = matching(project_id, filters)
    total = (await session.execute(select(func.count()).select_from(QuarantinedEvent).where(*conditions))).scalar_one()
    statement = (
        select(QuarantinedEvent)
        .where(*conditions)
        .order_by(QuarantinedEvent.received_at.desc(), QuarantinedEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return total, (await session.execute(statement)).scalars().all()


async def oldest(session: AsyncSession, project_id: int, filters: Filters, limit: int) -> Sequence[QuarantinedEvent]:
    statement = (
        select(QuarantinedEvent)
        .where(*matching(project_id, filters))
        .order_by(QuarantinedEvent.received_at, QuarantinedEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(statement)).scalars().all()


async def get(session: AsyncSession, project_id: int, event_id: UUID) -> QuarantinedEvent | None:
    statement = select(QuarantinedEvent).where(
        QuarantinedEvent.project_id == project_id, QuarantinedEvent.id == event_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def remove(session: AsyncSession, ids: Sequence[UUID]) -> None:
    if ids:
        await session.execute(delete(QuarantinedEvent).where(QuarantinedEvent.id.in_(ids)))


async def set_violations(
    session: AsyncSession, event_id: UUID, violations: list[dict[str, object]], reasons: str
) -> None:
    await session.execute(
        update(QuarantinedEvent).where(QuarantinedEvent.id == event_id).values(violations=violations, reasons=reasons)
    )
