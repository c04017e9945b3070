"""SQL for the plan as a whole: reading every entity of a project at once, and the writes of `apply`."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.history import states
from eventschema.history.states import EVENT, GROUP, LINK, PROJECT, States
from eventschema.models import EventDefinition, EventSchema, Project, Property, PropertyGroup

PROPERTY_FIELDS = ("name", "property_type", "is_required", "is_optional_in_types", "description", "validation_rules")


async def snapshot(session: AsyncSession, project_id: int) -> States:
    """Every entity of the project's plan as the history records it (five statements whatever its size)."""
    found: States = {}
    mode = (await session.execute(select(Project.validation_mode).where(Project.id == project_id))).scalar_one()
    found[(PROJECT, str(project_id))] = states.project_state(mode)
    properties: dict[UUID, list[dict[str, Any]]] = {}
    statement = (
        select(Property.property_group_id, Property.id, *(getattr(Property, field) for field in PROPERTY_FIELDS))
        .join(PropertyGroup, PropertyGroup.id == Property.property_group_id)
        .where(PropertyGroup.project_id == project_id)
    )
    for row in await session.execute(statement):
        properties.setdefault(row.property_group_id, []).append(row._asdict())
    groups = select(PropertyGroup.id, PropertyGroup.name, PropertyGroup.description).where(
        PropertyGroup.project_id == project_id
    )
    for row in await session.execute(groups):
        found[(GROUP, str(row.id))] = states.group_state(row.name, row.description, properties.get(row.id, []))
    events = select(EventDefinition).where(EventDefinition.project_id == project_id)
    for definition in (await session.execute(events)).scalars():
        found[(EVENT, str(definition.id))] = states.event_state(definition)
    links = select(EventSchema.id, EventSchema.event_definition_id, EventSchema.property_group_id).where(
        EventSchema.project_id == project_id
    )
    for row in await session.execute(links):
        found[(LINK, str(row.id))] = states.link_state(row.event_definition_id, row.property_group_id)
    return found


async def set_validation_mode(session: AsyncSession, project_id: int, mode: str) -> None:
    await session.execute(update(Project).where(Project.id == project_id).values(validation_mode=mode))


async def insert_group(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(PropertyGroup).values(values))


async def update_group(session: AsyncSession, group_id: UUID, description: str, now: datetime) -> None:
    await session.execute(
        update(PropertyGroup)
        .where(PropertyGroup.id == group_id)
        .values(description=description, updated_at=now, revision=PropertyGroup.revision + 1)
    )


async def delete_groups(session: AsyncSession, group_ids: list[UUID]) -> None:
    if group_ids:
        await session.execute(delete(PropertyGroup).where(PropertyGroup.id.in_(group_ids)))


async def insert_properties(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(Property), rows)


async def update_property(session: AsyncSession, property_id: UUID, values: dict[str, Any]) -> None:
    """Every field, `validation_rules` included, written as the plan says."""
    await session.execute(update(Property).where(Property.id == property_id).values(values))


async def delete_properties(session: AsyncSession, property_ids: list[UUID]) -> None:
    if property_ids:
        await session.execute(delete(Property).where(Property.id.in_(property_ids)))


async def insert_event(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(EventDefinition).values(values))


async def update_event(session: AsyncSession, event_id: UUID, values: dict[str, Any]) -> None:
    await session.execute(update(EventDefinition).where(EventDefinition.id == event_id).values(values))


async def delete_events(session: AsyncSession, event_ids: list[UUID]) -> None:
    if event_ids:
        await session.execute(delete(EventDefinition).where(EventDefinition.id.in_(event_ids)))


async def insert_links(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(EventSchema), rows)


async def delete_links(session: AsyncSession, link_ids: Iterable[UUID]) -> None:
    ids = list(link_ids)
    if ids:
        await session.execute(delete(EventSchema).where(EventSchema.id.in_(ids)))


async def groups_linked_to(session: AsyncSession, event_ids: list[UUID]) -> list[UUID]:
    if not event_ids:
        return []
    statement = select(EventSchema.property_group_id).where(EventSchema.event_definition_id.in_(event_ids))
    return list((await session.execute(statement)).scalars())
