"""Reading the event log. Rows stored before the depth limit may nest deeper than a page can render;
`renderable` cuts them down."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture import storable
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


def renderable(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "properties": storable.truncate(item["properties"])}


async def list_page(
    session: AsyncSession, project_id: int, event: str | None, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    return await repository.page(session, project_id, event, limit, offset)
