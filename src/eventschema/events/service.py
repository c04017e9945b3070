"""Reading the event log."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.events import repository


def event_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "uuid": row.uuid,
        "event": row.event,
        "distinct_id": row.distinct_id,
        "properties": row.properties,
        "timestamp": row.timestamp,
        "received_at": row.received_at,
    }


async def list_page(
    session: AsyncSession, project_id: int, event: str | None, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    return await repository.page(session, project_id, event, limit, offset)
