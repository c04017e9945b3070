"""SQL for the Events pages: a few statements for a page of the list (its rows, their groups, their violations),
and one each for an event's groups and properties, whatever the number of rows."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect
from eventschema.models import EventDefinition, EventSchema, Property, PropertyGroup, ViolationCount

# ?sort= values and their ORDER BY; each ends in the id, so pages never overlap.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": (EventDefinition.name, EventDefinition.id),
    "-last_seen": (EventDefinition.last_seen_at.desc().nulls_last(), EventDefinition.name, EventDefinition.id),
    "violations": (),  # `page` orders by the counts' column
}


def _search(statement: AnySelect, search: str | None) -> AnySelect:
    if not search:
        return statement
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return statement.where(func.lower(EventDefinition.name).like(f"%{escaped}%", escape="\\"))


async def count(session: AsyncSession, project_id: int, search: str | None) -> int:
    statement = _search(select(func.count()).where(EventDefinition.project_id == project_id), search)
    return int((await session.execute(statement)).scalar_one())


def _violation_totals(project_id: int, since: datetime) -> Any:
    return (
        select(ViolationCount.event, func.sum(ViolationCount.count).label("n"))
        .where(ViolationCount.project_id == project_id, ViolationCount.hour >= since)
        .group_by(ViolationCount.event)
    )


_COLUMNS = (
    EventDefinition.id,
    EventDefinition.name,
    EventDefinition.description,
    EventDefinition.enforcement_mode,
    EventDefinition.last_seen_at,
)


async def page(
    session: AsyncSession, project_id: int, search: str | None, sort: str, since: datetime, limit: int, offset: int
) -> Sequence[AnyRow]:
    """(id, name, description, enforcement_mode, last_seen_at) of a page of the project's events, and `violations`
    (counted since `since`) when sorting by them; otherwise `violations_of` gives the page's counts (aggregating
    every event's counters costs more than the page itself)."""
    statement = select(*_COLUMNS).where(EventDefinition.project_id == project_id)
    if sort != "violations":
        statement = _search(statement, search).order_by(*SORTS[sort])
        return (await session.execute(statement.limit(limit).offset(offset))).all()
    counts = _violation_totals(project_id, since).subquery()
    violations = func.coalesce(counts.c.n, 0).label("violations")
    statement = _search(
        statement.add_columns(violations).outerjoin(counts, counts.c.event == EventDefinition.name), search
    )
    order = (violations.desc(), EventDefinition.name, EventDefinition.id)
    return (await session.execute(statement.order_by(*order).limit(limit).offset(offset))).all()


async def violations_of(
    session: AsyncSession, project_id: int, since: datetime, names: Sequence[str]
) -> dict[str, int]:
    """Violations counted since `since` of each of these events that has any."""
    if not names:
        return {}
    statement = _violation_totals(project_id, since).where(ViolationCount.event.in_(names))
    return {row.event: int(row.n) for row in (await session.execute(statement)).all()}


async def groups_of(session: AsyncSession, definition_ids: Sequence[UUID]) -> Sequence[AnyRow]:
    """(event_definition_id, id, name) of the groups linked to these events, by name."""
    if not definition_ids:
        return []
    statement = (
        select(EventSchema.event_definition_id, PropertyGroup.id, PropertyGroup.name)
        .join(PropertyGroup, PropertyGroup.id == EventSchema.property_group_id)
        .where(EventSchema.event_definition_id.in_(definition_ids))
        .order_by(PropertyGroup.name, PropertyGroup.id)
    )
    return (await session.execute(statement)).all()


async def definition(session: AsyncSession, project_id: int, definition_id: UUID) -> EventDefinition | None:
    statement = select(EventDefinition).where(
        EventDefinition.project_id == project_id, EventDefinition.id == definition_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def group_properties(session: AsyncSession, definition_id: UUID) -> Sequence[AnyRow]:
    """The groups linked to the event with each of their properties (a row per property; a group without any has
    one row whose property columns are null), by group name then property name."""
    statement = (
        select(
            PropertyGroup.id.label("group_id"),
            PropertyGroup.name.label("group_name"),
            PropertyGroup.description.label("group_description"),
            Property.name,
            Property.property_type,
            Property.is_required,
            Property.description,
            Property.validation_rules,
        )
        .select_from(EventSchema)
        .join(PropertyGroup, PropertyGroup.id == EventSchema.property_group_id)
        .outerjoin(Property, Property.property_group_id == PropertyGroup.id)
        .where(EventSchema.event_definition_id == definition_id)
        .order_by(PropertyGroup.name, PropertyGroup.id, Property.name)
    )
    return (await session.execute(statement)).all()


async def definition_id_named(session: AsyncSession, project_id: int, name: str) -> UUID | None:
    statement = select(EventDefinition.id).where(EventDefinition.project_id == project_id, EventDefinition.name == name)
    return (await session.execute(statement)).scalar_one_or_none()
