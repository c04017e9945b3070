"""SQL for capture: the project of a project API key, locking projects, and the definitions of the events seen."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import first_row, rows
from eventschema.enforcement.repository import upsert_statement
from eventschema.ids import uuid7
from eventschema.models import EventDefinition, Project

_BY_TOKEN = select(Project.id).where(Project.api_token == bindparam("token"))
_LOCK_PROJECTS = (
    select(Project.id).where(Project.id.in_(bindparam("ids", expanding=True))).with_for_update(key_share=True)
)


async def project_for_token(session: AsyncSession, token: str) -> int | None:
    row = await first_row(session, _BY_TOKEN, token=token)
    return None if row is None else int(row.id)


async def lock_projects(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    """Those of the projects that exist, locked against deletion until the transaction ends (SQLite: the
    transaction's write lock already keeps them)."""
    return [row.id for row in await rows(session, _LOCK_PROJECTS, ids=list(ids))]


async def touch_definitions(session: AsyncSession, seen: Mapping[tuple[int, str], datetime]) -> None:
    """Create the definitions of new event names and set `last_seen_at` on all of them, in one statement.

    `seen` maps (project id, event name) to when it was seen. Rows are sorted so that concurrent writers lock
    existing definitions in the same order.
    """
    if not seen:
        return
    values = [
        {
            "id": uuid7(),
            "project_id": project_id,
            "name": name,
            "description": "",
            "enforcement_mode": "allow",
            "flag_unexpected": False,
            "created_at": seen_at,
            "last_seen_at": seen_at,
        }
        for (project_id, name), seen_at in sorted(seen.items())
    ]
    insert = upsert_statement(session)(EventDefinition).values(values)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[EventDefinition.project_id, EventDefinition.name],
            set_={"last_seen_at": insert.excluded.last_seen_at},
        )
    )
