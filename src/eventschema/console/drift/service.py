"""What the Drift page shows: a page of the drift report (the API's `drift/`, worst first) and, for an unplanned
event, the property group the API would propose for it (`event_definitions/{id}/propose/`), as an editable draft."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.console.drift import repository
from eventschema.observed import service as observed_service

PAGE_SIZE = 100
MAX_NAME = 400


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1


@dataclass(frozen=True, slots=True)
class Proposal:
    event: str
    # None: the event has no definition yet (the page offers to create it first).
    definition_id: UUID | None
    draft: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Drift:
    items: Sequence[dict[str, Any]]
    total: int
    page: int
    pages: int
    first: int
    last: int
    # Definition ids of the unplanned events on this page, by name.
    definitions: dict[str, UUID]
    proposal: Proposal | None


async def drift(session: AsyncSession, project_id: int, page: int, event: str | None) -> Drift:
    found = await observed_service.drift(session, project_id)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    items = found[start : start + PAGE_SIZE]
    unplanned = [item["event"] for item in items if item["kind"] == "unplanned_event"]
    wanted = (event or "").replace("\x00", "")[:MAX_NAME]
    definitions = await repository.definition_ids(session, project_id, [*unplanned, *([wanted] if wanted else [])])
    proposal = None
    if wanted:
        definition_id = definitions.get(wanted)
        draft = await observed_service.propose(session, project_id, definition_id) if definition_id else None
        proposal = Proposal(event=wanted, definition_id=definition_id, draft=draft)
    return Drift(
        items=items,
        total=len(found),
        page=page,
        pages=pages,
        first=start + 1 if items else 0,
        last=start + len(items),
        definitions=definitions,
        proposal=proposal,
    )
