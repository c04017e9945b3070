"""SQL for the Violations page: one pass over the week's hourly counters for a page of (event, property) pairs
with their 24-hour and 7-day sums and how many pairs there are, then the reasons of just the page's pairs."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import ViolationCount


async def pairs(
    session: AsyncSession, project_id: int, since_week: datetime, since_day: datetime, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    """(event, property, last_week, last_day) most in 7 days first, and how many pairs have any."""
    week = func.sum(ViolationCount.count).label("last_week")
    day = func.sum(case((ViolationCount.hour >= since_day, ViolationCount.count), else_=0)).label("last_day")
    grouped = (
        select(ViolationCount.event, ViolationCount.property, week, day)
        .where(ViolationCount.project_id == project_id, ViolationCount.hour >= since_week)
        .group_by(ViolationCount.event, ViolationCount.property)
    )
    statement = (
        grouped.add_columns(func.count().over().label("total"))
        .order_by(week.desc(), ViolationCount.event, ViolationCount.property)
        .limit(limit)
        .offset(offset)
    )
    found = (await session.execute(statement)).all()
    if found or offset == 0:
        return (int(found[0].total) if found else 0), found
    # Past the last page, the window has no row to say how many there are.
    return int((await session.execute(select(func.count()).select_from(grouped.subquery()))).scalar_one()), found


async def reasons(
    session: AsyncSession, project_id: int, since_week: datetime, keys: Sequence[tuple[str, str]]
) -> Sequence[AnyRow]:
    """(event, property, reason, n) of these pairs over the week."""
    if not keys:
        return []
    statement = (
        select(
            ViolationCount.event,
            ViolationCount.property,
            ViolationCount.reason,
            func.sum(ViolationCount.count).label("n"),
        )
        .where(
            ViolationCount.project_id == project_id,
            ViolationCount.hour >= since_week,
            tuple_(ViolationCount.event, ViolationCount.property).in_(keys),
        )
        .group_by(ViolationCount.event, ViolationCount.property, ViolationCount.reason)
    )
    return (await session.execute(statement)).all()
