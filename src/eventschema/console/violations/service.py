"""What the Violations page shows: per event and property, the violations of the last 7 days (the violation
history, counted per hour) and of the last 24 hours (its last 24 hourly buckets), most in 7 days first, with the
reasons and the event's definition to link to; and the bars of the chart for the page's worst pairs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.enforcement import service as enforcement_service
from eventschema.enforcement.service import COUNTED_HOURS, current_hour
from eventschema.models import EventDefinition, utcnow

PAGE_SIZE = 50
WEEK_HOURS = 7 * 24
# The chart shows this many of the page's rows (the table shows them all).
CHART_BARS = 15
CHART_WIDTH = 600
LABEL_WIDTH = 260
BAR_HEIGHT = 22


@dataclass(frozen=True, slots=True)
class ViolationRow:
    event: str
    property: str
    reasons: dict[str, int]
    last_day: int
    last_week: int
    definition_id: UUID | None


@dataclass(frozen=True, slots=True)
class Bar:
    """A row of the chart: the 7-day bar and, over it, the 24-hour bar (widths in SVG units)."""

    y: int
    label: str
    week_width: int
    day_width: int
    row: ViolationRow


@dataclass(frozen=True, slots=True)
class ViolationsPage:
    page: int
    total: int
    rows: list[ViolationRow]
    since_day: datetime
    since_week: datetime

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def chart(self) -> list[Bar]:
        shown = self.rows[:CHART_BARS]
        widest = max((row.last_week for row in shown), default=0) or 1
        scale = (CHART_WIDTH - LABEL_WIDTH - 60) / widest
        return [
            Bar(
                y=index * BAR_HEIGHT,
                label=_shorten(f"{row.event} · {row.property}"),
                week_width=max(1, round(row.last_week * scale)),
                day_width=round(row.last_day * scale) if row.last_day else 0,
                row=row,
            )
            for index, row in enumerate(shown)
        ]

    @property
    def chart_height(self) -> int:
        return min(len(self.rows), CHART_BARS) * BAR_HEIGHT


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_page(raw: str | None) -> int:
    return max(int(raw), 1) if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


async def _definitions(session: AsyncSession, project_id: int, names: Sequence[str]) -> dict[str, UUID]:
    if not names:
        return {}
    statement = select(EventDefinition.name, EventDefinition.id).where(
        EventDefinition.project_id == project_id, EventDefinition.name.in_(set(names))
    )
    return {row.name: row.id for row in (await session.execute(statement)).all()}


def _since(history: dict[str, Any], since: datetime) -> int:
    return sum(bucket["count"] for bucket in history["buckets"] if bucket["start"] >= since)


async def violations(session: AsyncSession, project_id: int, page: int) -> ViolationsPage:
    now = current_hour(utcnow())
    since_week = now - timedelta(hours=WEEK_HOURS - 1)
    since_day = now - timedelta(hours=COUNTED_HOURS - 1)
    start, end, interval = enforcement_service.history_range(since_week, None, "hour", utcnow())
    total, history = await enforcement_service.violation_history(
        session, project_id, None, start, end, interval, PAGE_SIZE, (page - 1) * PAGE_SIZE
    )
    definitions = await _definitions(session, project_id, [item["event"] for item in history])
    rows = [
        ViolationRow(
            event=item["event"],
            property=item["property"],
            reasons=item["reasons"],
            last_day=_since(item, since_day),
            last_week=item["count"],
            definition_id=definitions.get(item["event"]),
        )
        for item in history
    ]
    return ViolationsPage(page=page, total=total, rows=rows, since_day=since_day, since_week=since_week)
