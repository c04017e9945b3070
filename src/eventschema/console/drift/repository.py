"""SQL for the Drift page: the definitions of some event names."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.models import EventDefinition


async def definition_ids(session: AsyncSession, project_id: int, names: Sequence[str]) -> dict[str, UUID]:
    if not names:
        return {}
    statement = select(EventDefinition.name, EventDefinition.id).where(
        EventDefinition.project_id == project_id, EventDefinition.name.in_(names)
    )
    return {row.name: row.id for row in (await session.execute(statement)).all()}
