"""SQL for what the plan declares, as observed traffic compares it: linked events, declared properties."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.models import EventDefinition, EventSchema, Property
from eventschema.observed.inference import Declared


async def linked_events(session: AsyncSession, project_id: int) -> set[str]:
    """Names of the project's events that have at least one linked property group."""
    statement = (
        select(EventDefinition.name)
        .join(EventSchema, EventSchema.event_definition_id == EventDefinition.id)
        .where(EventSchema.project_id == project_id)
        .distinct()
    )
    return set((await session.execute(statement)).scalars())


async def declared(
    session: AsyncSession, project_id: int, events: Sequence[str] | None
) -> dict[str, dict[str, Declared]]:
    """Event -> property -> the types every linked group declares for it, required if any group requires it."""
    statement = (
        select(EventDefinition.name.label("event"), Property.name, Property.property_type, Property.is_required)
        .select_from(EventSchema)
        .join(EventDefinition, EventDefinition.id == EventSchema.event_definition_id)
        .join(Property, Property.property_group_id == EventSchema.property_group_id)
        .where(EventSchema.project_id == project_id)
    )
    if events is not None:
        statement = statement.where(EventDefinition.name.in_(list(events)))
    found: dict[str, dict[str, Declared]] = {}
    for row in (await session.execute(statement)).all():
        plan = found.setdefault(row.event, {})
        known = plan.get(row.name)
        types = tuple(sorted({*(known.types if known else ()), row.property_type}))
        plan[row.name] = Declared(types, bool(row.is_required) or bool(known and known.required))
    return found
