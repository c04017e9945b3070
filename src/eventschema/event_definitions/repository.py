"""SQL for event definitions."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnySelect
from eventschema.models import EventDefinition


def _filtered(project_id: int, search: str | None) -> AnySelect:
    statement = select(EventDefinition).where(EventDefinition.project_id == project_id)
    if search:
        escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(func.lower(EventDefinition.name).like(f"%{escaped}%", escape="\\"))
    return statement


async def page(
    session: AsyncSession, project_id: int, search: str | None, limit: int, offset: int
) -> tuple[int, Sequence[EventDefinition]]:
    base = _filtered(project_id, search)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    statement = base.order_by(EventDefinition.name, EventDefinition.id).limit(limit).offset(offset)
    return total, (await session.execute(statement)).scalars().all()


async def get(session: AsyncSession, project_id: int, definition_id: UUID) -> EventDefinition | None:
    statement = select(EventDefinition).where(
        EventDefinition.project_id == project_id, EventDefinition.id == definition_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def get_by_name(session: AsyncSession, project_id: int, name: str) -> EventDefinition | None:
    statement = select(EventDefinition).where(EventDefinition.project_id == project_id, EventDefinition.name == name)
    return (await session.execute(statement)).scalar_one_or_none()


async def add(session: AsyncSession, definition: EventDefinition) -> None:
    session.add(definition)
    await session.flush()


async def delete_definition(session: AsyncSession, definition_id: UUID) -> None:
    await session.execute(delete(EventDefinition).where(EventDefinition.id == definition_id))
