"""What the Live events page shows: the newest events of the local event log, optionally of one name."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.events import service as events_service

SHOWN = 50
MAX_NAME = 400
# How often the page asks for new rows, in milliseconds (console.js reads it from the page).
REFRESH_MS = 3000


@dataclass(frozen=True, slots=True)
class LiveEvents:
    event: str
    total: int
    rows: list[dict[str, Any]]


def parse_event(raw: str | None) -> str:
    return (raw or "").strip()[:MAX_NAME].replace("\x00", "")


async def newest(session: AsyncSession, project_id: int, event: str) -> LiveEvents:
    total, found = await events_service.list_page(session, project_id, event or None, SHOWN, 0)
    rows = [events_service.renderable(events_service.event_dict(row)) for row in found]
    return LiveEvents(event=event, total=total, rows=rows)
