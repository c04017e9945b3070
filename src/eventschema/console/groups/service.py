"""What the Property groups pages show: a page of the list (each group with its number of properties and its
linked events) and a group with its properties, its linked events and the events it could be linked to."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, get_args
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.console.groups import repository
from eventschema.console.paging import Paged
from eventschema.db import AnyRow
from eventschema.models import Property, PropertyGroup
from eventschema.property_groups.rules import PropertyType

PAGE_SIZE = 100
TYPES: tuple[str, ...] = get_args(PropertyType)
MAX_SEARCH = 400


@dataclass(frozen=True, slots=True)
class ListQuery:
    q: str
    page: int

    @classmethod
    def parse(cls, q: str | None, page: str | None) -> "ListQuery":
        text = (q or "").strip()[:MAX_SEARCH].replace("\x00", "")
        number = int(page) if page and page.isascii() and page.isdigit() and len(page) < 7 else 1
        return cls(q=text, page=max(number, 1))


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: UUID
    name: str
    description: str
    updated_at: datetime
    properties: int
    events: list[AnyRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GroupList(Paged):
    query: ListQuery
    total: int
    rows: list[GroupRow]

    page_size: ClassVar[int] = PAGE_SIZE

    @property
    def page_number(self) -> int:
        return self.query.page


async def list_groups(session: AsyncSession, project_id: int, query: ListQuery) -> GroupList:
    total = await repository.count(session, project_id, query.q or None)
    found = await repository.page(session, project_id, query.q or None, PAGE_SIZE, (query.page - 1) * PAGE_SIZE)
    rows = [GroupRow(row.id, row.name, row.description, row.updated_at, int(row.properties)) for row in found]
    by_id = {row.id: row for row in rows}
    for link in await repository.events_of(session, list(by_id)):
        by_id[link.property_group_id].events.append(link)
    return GroupList(query=query, total=total, rows=rows)


@dataclass(frozen=True, slots=True)
class GroupDetail:
    group: PropertyGroup
    properties: list[Property]
    # (property_group_id, schema_id, id, name) of the linked events.
    events: list[AnyRow]
    # (id, name) of the project's events not linked to this group.
    unlinked: list[AnyRow]


async def group_detail(session: AsyncSession, project_id: int, group_id: UUID) -> GroupDetail | None:
    group = await repository.group(session, project_id, group_id)
    if group is None:
        return None
    events = list(await repository.events_of(session, [group.id]))
    linked = {row.id for row in events}
    unlinked = [row for row in await repository.event_names(session, project_id) if row.id not in linked]
    return GroupDetail(group, list(await repository.properties(session, group.id)), events, unlinked)
