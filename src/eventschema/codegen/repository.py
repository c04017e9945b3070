"""SQL for code generation: a project's whole tracking plan in three statements, whatever its size."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import EventDefinition, EventSchema, Property, PropertyGroup


async def event_names(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(name, description) of every event definition of the project."""
    statement = select(EventDefinition.name, EventDefinition.description).where(
        EventDefinition.project_id == project_id
    )
    return (await session.execute(statement)).all()


async def group_properties(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(group_name, name, property_type, is_required, is_optional_in_types, validation_rules); the property
    columns are null for a group without properties."""
    statement = (
        select(
            PropertyGroup.name.label("group_name"),
            Property.name,
            Property.property_type,
            Property.is_required,
            Property.is_optional_in_types,
            Property.validation_rules,
        )
        .outerjoin(Property, Property.property_group_id == PropertyGroup.id)
        .where(PropertyGroup.project_id == project_id)
    )
    return (await session.execute(statement)).all()


async def links(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(event_name, group_name) for every event schema of the project."""
    statement = (
        select(EventDefinition.name.label("event_name"), PropertyGroup.name.label("group_name"))
        .select_from(EventSchema)
        .join(EventDefinition, EventDefinition.id == EventSchema.event_definition_id)
        .join(PropertyGroup, PropertyGroup.id == EventSchema.property_group_id)
        .where(EventSchema.project_id == project_id)
    )
    return (await session.execute(statement)).all()
