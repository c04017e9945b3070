"""What the Events pages show: a page of the list with each event's groups and violations of the last 24 hours,
and an event with its groups, properties, recent violations and quarantined samples."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.console.events import repository
from eventschema.console.events.repository import SORTS
from eventschema.console.paging import Paged
from eventschema.db import AnyRow
from eventschema.enforcement import service as enforcement_service
from eventschema.enforcement.service import COUNTED_HOURS, current_hour
from eventschema.models import EventDefinition, utcnow
from eventschema.quarantine import service as quarantine_service
from eventschema.quarantine.repository import Filters

PAGE_SIZE = 100
DEFAULT_SORT = "name"
RECENT_VIOLATIONS = 50
QUARANTINED_SAMPLES = 5
MAX_SEARCH = 400


@dataclass(frozen=True, slots=True)
class ListQuery:
    q: str
    sort: str
    page: int

    @classmethod
    def parse(cls, q: str | None, sort: str | None, page: str | None) -> "ListQuery":
        """Whatever the query string says, a query that can be run: unknown sorts and pages fall back."""
        text = (q or "").strip()[:MAX_SEARCH].replace("\x00", "")
        number = int(page) if page and page.isascii() and page.isdigit() and len(page) < 7 else 1
        return cls(q=text, sort=sort if sort in SORTS else DEFAULT_SORT, page=max(number, 1))


@dataclass(frozen=True, slots=True)
class EventRow:
    id: UUID
    name: str
    description: str
    enforcement_mode: str
    last_seen_at: Any
    violations: int
    groups: list[AnyRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EventList(Paged):
    query: ListQuery
    total: int
    rows: list[EventRow]

    page_size: ClassVar[int] = PAGE_SIZE

    @property
    def page_number(self) -> int:
        return self.query.page


async def list_events(session: AsyncSession, project_id: int, query: ListQuery) -> EventList:
    since = current_hour(utcnow()) - timedelta(hours=COUNTED_HOURS - 1)
    total = await repository.count(session, project_id, query.q or None)
    found = await repository.page(
        session, project_id, query.q or None, query.sort, since, PAGE_SIZE, (query.page - 1) * PAGE_SIZE
    )
    if query.sort == "violations":
        violations = {row.name: int(row.violations) for row in found}
    else:
        violations = await repository.violations_of(session, project_id, since, [row.name for row in found])
    rows = [
        EventRow(
            id=row.id,
            name=row.name,
            description=row.description,
            enforcement_mode=row.enforcement_mode,
            last_seen_at=row.last_seen_at,
            violations=violations.get(row.name, 0),
        )
        for row in found
    ]
    by_id = {row.id: row for row in rows}
    for link in await repository.groups_of(session, list(by_id)):
        by_id[link.event_definition_id].groups.append(link)
    return EventList(query=query, total=total, rows=rows)


@dataclass(frozen=True, slots=True)
class GroupWithProperties:
    id: UUID
    name: str
    description: str
    properties: list[AnyRow]


@dataclass(frozen=True, slots=True)
class EventDetail:
    definition: EventDefinition
    groups: list[GroupWithProperties]
    violations: list[dict[str, Any]]
    quarantined_total: int
    quarantined: list[dict[str, Any]]


def _groups(rows: Sequence[AnyRow]) -> list[GroupWithProperties]:
    groups: dict[UUID, GroupWithProperties] = {}
    for row in rows:
        group = groups.get(row.group_id)
        if group is None:
            group = groups[row.group_id] = GroupWithProperties(
                id=row.group_id, name=row.group_name, description=row.group_description, properties=[]
            )
        if row.name is not None:
            group.properties.append(row)
    return list(groups.values())


async def event_detail(session: AsyncSession, project_id: int, definition_id: UUID) -> EventDetail | None:
    definition = await repository.definition(session, project_id, definition_id)
    if definition is None:
        return None
    groups = _groups(await repository.group_properties(session, definition.id))
    _count, violations = await enforcement_service.violation_counts(
        session, project_id, definition.name, RECENT_VIOLATIONS, 0
    )
    total, samples = await quarantine_service.list_page(
        session, project_id, Filters(event=definition.name), QUARANTINED_SAMPLES, 0
    )
    quarantined = [quarantine_service.renderable(quarantine_service.event_dict(row)) for row in samples]
    return EventDetail(definition, groups, violations, total, quarantined)


async def definition_id_named(session: AsyncSession, project_id: int, name: str) -> UUID | None:
    """The id of the project's event of that name (links that know an event by name, such as alerts, use it)."""
    return await repository.definition_id_named(session, project_id, name)
