"""SQL for the Property groups pages: a page of the list in three statements (its rows with their numbers of
properties, the count, the rows' linked events), and a group's editor in four (the group, its properties, its
links, the project's events)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect
from eventschema.models import EventDefinition, EventSchema, Property, PropertyGroup


def _search(statement: AnySelect, search: str | None) -> AnySelect:
    if not search:
        return statement
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return statement.where(func.lower(PropertyGroup.name).like(f"%{escaped}%", escape="\\"))


async def count(session: AsyncSession, project_id: int, search: str | None) -> int:
    statement = _search(select(func.count()).where(PropertyGroup.project_id == project_id), search)
    return int((await session.execute(statement)).scalar_one())


async def page(session: AsyncSession, project_id: int, search: str | None, limit: int, offset: int) -> Sequence[AnyRow]:
    """(id, name, description, updated_at, properties) of a page of the project's groups, by name."""
    properties = (
        select(func.count())
        .where(Property.property_group_id == PropertyGroup.id)
        .correlate(PropertyGroup)
        .scalar_subquery()
        .label("properties")
    )
    statement = select(
        PropertyGroup.id, PropertyGroup.name, PropertyGroup.description, PropertyGroup.updated_at, properties
    ).where(PropertyGroup.project_id == project_id)
    statement = _search(statement, search).order_by(PropertyGroup.name, PropertyGroup.id)
    return (await session.execute(statement.limit(limit).offset(offset))).all()


async def events_of(session: AsyncSession, group_ids: Sequence[UUID]) -> Sequence[AnyRow]:
    """(property_group_id, schema_id, id, name) of the events linked to these groups, by event name."""
    if not group_ids:
        return []
    statement = (
        select(
            EventSchema.property_group_id,
            EventSchema.id.label("schema_id"),
            EventDefinition.id,
            EventDefinition.name,
        )
        .join(EventDefinition, EventDefinition.id == EventSchema.event_definition_id)
        .where(EventSchema.property_group_id.in_(group_ids))
        .order_by(EventDefinition.name, EventDefinition.id)
    )
    return (await session.execute(statement)).all()


async def group(session: AsyncSession, project_id: int, group_id: UUID) -> PropertyGroup | None:
    statement = select(PropertyGroup).where(PropertyGroup.project_id == project_id, PropertyGroup.id == group_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def properties(session: AsyncSession, group_id: UUID) -> Sequence[Property]:
    statement = select(Property).where(Property.property_group_id == group_id).order_by(Property.name, Property.id)
    return (await session.execute(statement)).scalars().all()


async def event_names(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(id, name) of every event of the project, by name: the choices of the "link an event" field."""
    statement = (
        select(EventDefinition.id, EventDefinition.name)
        .where(EventDefinition.project_id == project_id)
        .order_by(EventDefinition.name, EventDefinition.id)
    )
    return (await session.execute(statement)).all()
