"""What the Quarantine pages show: a page of quarantined events matching the filters (newest first), why the
matching events are held (how many per reason), a replay's outcome as the API answered it, and one event with
its payload."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, get_args
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.console.paging import Paged
from eventschema.models import EventDefinition, QuarantinedEvent
from eventschema.quarantine import repository as quarantine_repository
from eventschema.quarantine import service as quarantine_service
from eventschema.quarantine.repository import Filters
from eventschema.quarantine.schemas import Reason

PAGE_SIZE = 50
MAX_TEXT = 400
REASONS: tuple[str, ...] = get_args(Reason)


def _time(raw: str | None, name: str, errors: dict[str, str]) -> datetime | None:
    """A `datetime-local` value (or any ISO 8601 time; without a zone, UTC)."""
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = "Enter a valid date and time (YYYY-MM-DD HH:MM, UTC)."
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _count(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 else None


@dataclass(frozen=True, slots=True)
class Query:
    """The filters as typed (to show them back) and as applied; a filter that cannot be read is not applied and
    its message is in `errors`."""

    event: str
    reason: str
    after: str
    before: str
    page: int
    filters: Filters
    errors: dict[str, str] = field(default_factory=dict)
    # A replay's outcome, as the API answered it (the page is reloaded with them after a replay).
    replayed: int | None = None
    still: int | None = None

    @classmethod
    def parse(cls, params: Any) -> "Query":
        errors: dict[str, str] = {}
        event = (params.get("event") or "").strip()[:MAX_TEXT].replace("\x00", "")
        reason = params.get("reason") or ""
        if reason and reason not in REASONS:
            errors["reason"] = f'"{reason[:MAX_TEXT]}" is not a reason events are quarantined for.'
            reason = ""
        after = (params.get("after") or "")[:MAX_TEXT]
        before = (params.get("before") or "")[:MAX_TEXT]
        raw_page = params.get("page")
        page = (
            max(int(raw_page), 1) if raw_page and raw_page.isascii() and raw_page.isdigit() and len(raw_page) < 7 else 1
        )
        filters = Filters(
            event=event or None,
            reason=reason or None,
            after=_time(after, "after", errors),
            before=_time(before, "before", errors),
        )
        return cls(
            event=event,
            reason=reason,
            after=after,
            before=before,
            page=page,
            filters=filters,
            errors=errors,
            replayed=_count(params.get("replayed")),
            still=_count(params.get("still")),
        )

    @property
    def filtered(self) -> bool:
        return bool(self.event or self.reason or self.filters.after or self.filters.before)

    @property
    def replay_filters(self) -> dict[str, str]:
        """The body of "replay all matching": the filters as applied."""
        found = {"event": self.filters.event, "reason": self.filters.reason}
        times = {"after": self.filters.after, "before": self.filters.before}
        return {
            **{name: value for name, value in found.items() if value},
            **{name: value.isoformat() for name, value in times.items() if value is not None},
        }


@dataclass(frozen=True, slots=True)
class QuarantinePage(Paged):
    query: Query
    total: int
    rows: list[dict[str, Any]]
    # Why the matching events are held: (reason, how many events), most first.
    reasons: list[tuple[str, int]]
    definitions: dict[str, UUID]

    page_size: ClassVar[int] = PAGE_SIZE

    @property
    def page_number(self) -> int:
        return self.query.page


async def _reasons(session: AsyncSession, project_id: int, filters: Filters) -> list[tuple[str, int]]:
    """How many matching events are held for each reason (an event held for two counts for both)."""
    statement = (
        select(QuarantinedEvent.reasons, func.count().label("n"))
        .where(*quarantine_repository.matching(project_id, filters))
        .group_by(QuarantinedEvent.reasons)
    )
    counts: Counter[str] = Counter()
    for row in (await session.execute(statement)).all():
        for reason in (row.reasons or "").split(","):
            if reason:
                counts[reason] += int(row.n)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


async def definitions(session: AsyncSession, project_id: int, names: set[str]) -> dict[str, UUID]:
    if not names:
        return {}
    statement = select(EventDefinition.name, EventDefinition.id).where(
        EventDefinition.project_id == project_id, EventDefinition.name.in_(names)
    )
    return {row.name: row.id for row in (await session.execute(statement)).all()}


async def quarantine_page(session: AsyncSession, project_id: int, query: Query) -> QuarantinePage:
    total, found = await quarantine_service.list_page(
        session, project_id, query.filters, PAGE_SIZE, (query.page - 1) * PAGE_SIZE
    )
    rows = [quarantine_service.event_dict(row) for row in found]
    reasons = await _reasons(session, project_id, query.filters) if total else []
    names = {row["event"] for row in rows}
    return QuarantinePage(query, total, rows, reasons, await definitions(session, project_id, names))


@dataclass(frozen=True, slots=True)
class QuarantinedDetail:
    item: dict[str, Any]
    fields: dict[str, Any]
    definition_id: UUID | None


async def detail(session: AsyncSession, project_id: int, event_id: UUID) -> QuarantinedDetail | None:
    row = await quarantine_repository.get(session, project_id, event_id)
    if row is None:
        return None
    found = await definitions(session, project_id, {row.event})
    item = quarantine_service.renderable(quarantine_service.event_dict(row))
    return QuarantinedDetail(item=item, fields=row.fields, definition_id=found.get(row.event))
