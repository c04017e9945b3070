"""SQL for the outbox: enqueue accepted events, claim due ones, and settle them after an upstream attempt.

A claim leases events by setting their `next_attempt_at` to the end of the lease; that value is how the process
holding them recognises them as still its own (`extend`, `take`).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture.uuids import as_uuid
from eventschema.db import AnyRow
from eventschema.enforcement.repository import upsert_statement
from eventschema.models import OutboxEvent


async def enqueue(session: AsyncSession, rows: Sequence[tuple[int, str, str, dict[str, Any]]]) -> None:
    """Queue events: (project id, the project API key they came with, its uuid, the event). An event whose uuid
    is already queued for the project (sent again) is skipped."""
    if rows:
        insert = upsert_statement(session)(OutboxEvent).on_conflict_do_nothing(
            index_elements=[OutboxEvent.project_id, OutboxEvent.uuid]
        )
        await session.execute(
            insert,
            [
                {"project_id": p, "token": token, "uuid": as_uuid(uuid), "payload": payload, "attempts": 0}
                for p, token, uuid, payload in rows
            ],
        )


async def claim(session: AsyncSession, now: datetime, lease_until: datetime, limit: int) -> Sequence[AnyRow]:
    """The oldest due events, leased until `lease_until` so that no other process sends them meanwhile.

    A process that dies holding a lease only delays its events: they fall due again when the lease ends.
    """
    due = (
        select(OutboxEvent.id)
        .where(OutboxEvent.next_attempt_at <= now)
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = (await session.execute(due)).scalars().all()
    if not ids:
        return []
    statement = (
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids))
        .values(next_attempt_at=lease_until)
        .returning(OutboxEvent.id, OutboxEvent.project_id, OutboxEvent.token, OutboxEvent.payload, OutboxEvent.attempts)
    )
    return sorted((await session.execute(statement)).all(), key=lambda row: row.id)


async def remove(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(ids)))


async def postpone(session: AsyncSession, ids: Sequence[int], attempts: int, next_attempt_at: datetime) -> None:
    await session.execute(
        update(OutboxEvent).where(OutboxEvent.id.in_(ids)).values(attempts=attempts, next_attempt_at=next_attempt_at)
    )


async def extend(session: AsyncSession, ids: Sequence[int], held_until: datetime, lease_until: datetime) -> None:
    """Extend the lease of those of `ids` still leased until `held_until`."""
    if ids:
        await session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(ids), OutboxEvent.next_attempt_at == held_until)
            .values(next_attempt_at=lease_until)
        )


async def take(session: AsyncSession, ids: Sequence[int], held_until: datetime) -> set[int]:
    """Delete those of `ids` still leased until `held_until`; returns their ids.

    An event whose lease ran out may have been claimed, and sent, by another process meanwhile: it is not taken.
    """
    if not ids:
        return set()
    statement = (
        delete(OutboxEvent)
        .where(OutboxEvent.id.in_(ids), OutboxEvent.next_attempt_at == held_until)
        .returning(OutboxEvent.id)
    )
    return set((await session.execute(statement)).scalars().all())
