"""What the Violations page shows: per event and property, the violations of the last 7 days and of the last 24
hours (the hourly counters behind the API's `event_schemas/violations/` and its history; "the last 24 hours" are
the current hour and the 23 before it, as there), most in 7 days first, with the reasons and the event's
definition to link to; and the bars of the chart for the page's worst pairs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.console.paging import Paged
from eventschema.console.violations import repository
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
class ViolationsPage(Paged):
    page: int
    total: int
    rows: list[ViolationRow]
    since_day: datetime
    since_week: datetime

    page_size: ClassVar[int] = PAGE_SIZE

    @property
    def page_number(self) -> int:
        return self.page

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


async def violations(session: AsyncSession, project_id: int, page: int) -> ViolationsPage:
    now = current_hour(utcnow())
    since_week = now - timedelta(hours=WEEK_HOURS - 1)
    since_day = now - timedelta(hours=COUNTED_HOURS - 1)
    sums: dict[tuple[str, str], list[int]] = {}
    reasons: dict[tuple[str, str], dict[str, int]] = {}
    for counter in await repository.week(session, project_id, since_week, since_day):
        key = (counter.event, counter.property)
        pair = sums.setdefault(key, [0, 0])
        pair[0] += int(counter.last_week)
        pair[1] += int(counter.last_day)
        reasons.setdefault(key, {})[counter.reason] = int(counter.last_week)
    worst = sorted(sums, key=lambda key: (-sums[key][0], key))
    shown = worst[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    definitions = await _definitions(session, project_id, [event for event, _property in shown])
    rows = [
        ViolationRow(
            event=event,
            property=prop,
            reasons=dict(sorted(reasons[(event, prop)].items(), key=lambda pair: (-pair[1], pair[0]))),
            last_day=sums[(event, prop)][1],
            last_week=sums[(event, prop)][0],
            definition_id=definitions.get(event),
        )
        for event, prop in shown
    ]
    total = len(worst)
    return ViolationsPage(page=page, total=total, rows=rows, since_day=since_day, since_week=since_week)
