"""What the History page shows: a page of the plan's versions (newest first, who and when), the changes one
version made (the API's `plan/versions/{n}/diff/`: the same `plan.diff` of the documents before and after), and a
page of the activity log. Reading versions numbers the change sets committed since the last reader, as the API's
routes do, so it needs a writing session."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.history import service as history_service
from eventschema.history import versions
from eventschema.plan import document
from eventschema.plan.diff import diff

PAGE_SIZE = 50
ACTIVITY_SIZE = 50
MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1


@dataclass(frozen=True, slots=True)
class History:
    latest: int
    versions: Sequence[dict[str, Any]]
    page: int
    pages: int
    # The version whose diff is shown (0: none yet) and its changes.
    selected: int
    changes: Sequence[dict[str, Any]]
    activity: Sequence[dict[str, Any]]
    activity_total: int


async def history(session: AsyncSession, project_id: int, page: int, selected: int | None) -> History:
    latest = await versions.seal(session, project_id)
    await session.commit()
    total, found = await history_service.versions_page(session, project_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    shown = selected if selected is not None and 1 <= selected <= latest else latest
    changes: list[dict[str, Any]] = []
    if shown:
        before = document.build(await versions.states_at(session, project_id, shown - 1))
        after = document.build(await versions.states_at(session, project_id, shown))
        changes = diff(before, after)
    activity_total, activity = await history_service.activity_page(session, project_id, None, None, ACTIVITY_SIZE, 0)
    return History(
        latest=latest,
        versions=found,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        selected=shown,
        changes=changes,
        activity=activity,
        activity_total=activity_total,
    )
