"""SQL for alerts: webhooks, the thresholds crossed in an hour, and the deliveries owed."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.enforcement.repository import upsert_statement
from eventschema.models import AlertDelivery, AlertWebhook, ViolationCount


async def list_page(session: AsyncSession, project_id: int, limit: int, offset: int) -> tuple[int, Sequence[Any]]:
    of_project = AlertWebhook.project_id == project_id
    total = (await session.execute(select(func.count()).where(of_project))).scalar_one()
    statement = select(AlertWebhook).where(of_project).order_by(AlertWebhook.created_at, AlertWebhook.id)
    found = (await session.execute(statement.limit(limit).offset(offset))).scalars().all()
    return int(total), found


async def add(session: AsyncSession, webhook: AlertWebhook) -> None:
    session.add(webhook)
    await session.flush()


async def remove(session: AsyncSession, project_id: int, webhook_id: UUID) -> bool:
    statement = delete(AlertWebhook).where(AlertWebhook.project_id == project_id, AlertWebhook.id == webhook_id)
    connection = await session.connection()
    return bool((await connection.execute(statement)).rowcount)


async def crossed(session: AsyncSession, hour: datetime) -> Sequence[AnyRow]:
    """(webhook, project, url, threshold, event, violations) for each webhook and event whose violations in `hour`
    reach the webhook's threshold, and that has no delivery for that hour yet."""
    violations = func.sum(ViolationCount.count).label("violations")
    delivered = exists().where(
        AlertDelivery.webhook_id == AlertWebhook.id,
        AlertDelivery.event == ViolationCount.event,
        AlertDelivery.hour == hour,
    )
    statement = (
        select(AlertWebhook.id, AlertWebhook.project_id, AlertWebhook.threshold, ViolationCount.event, violations)
        .join(
            ViolationCount,
            and_(
                ViolationCount.project_id == AlertWebhook.project_id,
                ViolationCount.hour == hour,
                or_(AlertWebhook.event.is_(None), AlertWebhook.event == ViolationCount.event),
            ),
        )
        .where(~delivered)
        .group_by(AlertWebhook.id, AlertWebhook.project_id, AlertWebhook.threshold, ViolationCount.event)
        .having(func.sum(ViolationCount.count) >= AlertWebhook.threshold)
    )
    return (await session.execute(statement)).all()


async def reasons(session: AsyncSession, project_id: int, hour: datetime, event: str) -> Sequence[AnyRow]:
    """(property, reason, n) of the event's violations in that hour, most first."""
    statement = (
        select(ViolationCount.property, ViolationCount.reason, ViolationCount.count.label("n"))
        .where(ViolationCount.project_id == project_id, ViolationCount.hour == hour, ViolationCount.event == event)
        .order_by(ViolationCount.count.desc(), ViolationCount.property, ViolationCount.reason)
    )
    return (await session.execute(statement)).all()


async def owe(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Record deliveries to make; one per webhook, event and hour, whichever process records it first."""
    if rows:
        statement = upsert_statement(session)(AlertDelivery).values(rows)
        await session.execute(statement.on_conflict_do_nothing())


async def claim(session: AsyncSession, now: datetime, since: datetime, until: datetime, limit: int) -> Sequence[AnyRow]:
    """Deliveries due (of hours since `since`), with their URLs, put off until `until` so that no other process
    sends them meanwhile; the caller commits at once."""
    statement = (
        select(AlertDelivery.webhook_id, AlertDelivery.event, AlertDelivery.hour, AlertDelivery.payload,
               AlertDelivery.attempts, AlertWebhook.url)
        .join(AlertWebhook, AlertWebhook.id == AlertDelivery.webhook_id)
        .where(
            AlertDelivery.delivered_at.is_(None),
            AlertDelivery.next_attempt_at <= now,
            AlertDelivery.hour >= since,
        )
        .order_by(AlertDelivery.next_attempt_at)
        .limit(limit)
    )  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=AlertDelivery, skip_locked=True)
    found = (await session.execute(statement)).all()
    for row in found:
        await settle(session, row, next_attempt_at=until)
    return found


async def settle(session: AsyncSession, row: Any, **values: Any) -> None:
    statement = update(AlertDelivery).where(
        AlertDelivery.webhook_id == row.webhook_id, AlertDelivery.event == row.event, AlertDelivery.hour == row.hour
    )
    await session.execute(statement.values(**values))


async def delete_old(session: AsyncSession, before: datetime) -> int:
    connection = await session.connection()
    return int((await connection.execute(delete(AlertDelivery).where(AlertDelivery.hour < before))).rowcount)
