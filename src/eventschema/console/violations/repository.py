"""SQL for the Violations page: one pass over the week's hourly counters, summed per event, property and reason
for the last 7 days and the last 24 hours (a few rows per pair that broke the plan this week, however many hours
it did)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import ViolationCount


async def week(session: AsyncSession, project_id: int, since_week: datetime, since_day: datetime) -> Sequence[AnyRow]:
    """(event, property, reason, last_week, last_day) of every counter since `since_week`."""
    statement = (
        select(
            ViolationCount.event,
            ViolationCount.property,
            ViolationCount.reason,
            func.sum(ViolationCount.count).label("last_week"),
            func.sum(case((ViolationCount.hour >= since_day, ViolationCount.count), else_=0)).label("last_day"),
        )
        .where(ViolationCount.project_id == project_id, ViolationCount.hour >= since_week)
        .group_by(ViolationCount.event, ViolationCount.property, ViolationCount.reason)
    )
    found: Sequence[AnyRow] = (await session.execute(statement)).all()
    return found
