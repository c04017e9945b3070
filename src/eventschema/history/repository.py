"""SQL for the plan's history: appending entity states, numbering versions, reading them back."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import EventDefinition, EventSchema, PlanChange, PlanVersion, Project


async def append(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await session.execute(insert(PlanChange), rows)


async def latest_states(
    session: AsyncSession, project_id: int, entity_ids: Iterable[str]
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """The last recorded state of each entity (absent: never recorded)."""
    statement = (
        select(PlanChange.kind, PlanChange.entity_id, PlanChange.state)
        .where(PlanChange.project_id == project_id, PlanChange.entity_id.in_(list(entity_ids)))
        .order_by(PlanChange.id)
    )
    return {(row.kind, row.entity_id): row.state for row in await session.execute(statement)}


async def bump_event_versions(session: AsyncSession, event_ids: Iterable[UUID], group_ids: Iterable[UUID]) -> None:
    """schema_version + 1 for these events and for the events linked to these groups."""
    events, groups = list(event_ids), list(group_ids)
    conditions = []
    if events:
        conditions.append(EventDefinition.id.in_(events))
    if groups:
        linked = select(EventSchema.event_definition_id).where(EventSchema.property_group_id.in_(groups))
        conditions.append(EventDefinition.id.in_(linked))
    if conditions:
        statement = update(EventDefinition).where(or_(*conditions))
        await session.execute(
            statement.values(schema_version=EventDefinition.schema_version + 1).execution_options(
                synchronize_session=False
            )
        )


async def event_rows(session: AsyncSession, event_ids: list[UUID]) -> Sequence[AnyRow]:
    columns = (EventDefinition.id, EventDefinition.name, EventDefinition.description)
    statement = select(*columns, EventDefinition.enforcement_mode, EventDefinition.flag_unexpected).where(
        EventDefinition.id.in_(event_ids)
    )
    return (await session.execute(statement)).all()


async def lock_project(session: AsyncSession, project_id: int) -> bool:
    """Takes the project's row lock (PostgreSQL; SQLite has one writer anyway) without blocking inserts that
    reference the project; False when there is no such project."""
    statement = select(Project.id).where(Project.id == project_id).with_for_update(key_share=True)
    return (await session.execute(statement)).first() is not None


async def unsealed(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """Committed (or own) change sets without a version yet, in the order they were written."""
    first = func.min(PlanChange.id)
    statement = (
        select(PlanChange.change_key, first.label("first_id"), func.min(PlanChange.created_at).label("created_at"))
        .where(PlanChange.project_id == project_id, PlanChange.version.is_(None))
        .group_by(PlanChange.change_key)
        .order_by(first)
    )
    return (await session.execute(statement)).all()


async def actor_of(session: AsyncSession, change_id: int) -> dict[str, Any] | None:
    statement = select(PlanChange.actor).where(PlanChange.id == change_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def latest_version(session: AsyncSession, project_id: int) -> int:
    statement = select(func.coalesce(func.max(PlanVersion.number), 0)).where(PlanVersion.project_id == project_id)
    return int((await session.execute(statement)).scalar_one())


async def number(
    session: AsyncSession, project_id: int, change_key: str, version: int, actor: Any, created_at: datetime
) -> None:
    await session.execute(
        insert(PlanVersion).values(
            project_id=project_id, number=version, change_key=change_key, actor=actor, created_at=created_at
        )
    )
    await session.execute(
        update(PlanChange)
        .where(PlanChange.project_id == project_id, PlanChange.change_key == change_key)
        .values(version=version)
    )


async def states_up_to(session: AsyncSession, project_id: int, version: int) -> Sequence[AnyRow]:
    statement = (
        select(PlanChange.kind, PlanChange.entity_id, PlanChange.state)
        .where(PlanChange.project_id == project_id, PlanChange.version <= version)
        .order_by(PlanChange.version, PlanChange.id)
    )
    return (await session.execute(statement)).all()


async def version_at(session: AsyncSession, project_id: int, moment: datetime) -> int:
    statement = select(func.coalesce(func.max(PlanVersion.number), 0)).where(
        PlanVersion.project_id == project_id, PlanVersion.created_at <= moment
    )
    return int((await session.execute(statement)).scalar_one())


async def versions_page(session: AsyncSession, project_id: int, limit: int, offset: int) -> tuple[int, Sequence[Any]]:
    total = (
        await session.execute(select(func.count()).select_from(PlanVersion).where(PlanVersion.project_id == project_id))
    ).scalar_one()
    statement = (
        select(PlanVersion)
        .where(PlanVersion.project_id == project_id)
        .order_by(PlanVersion.number.desc())
        .limit(limit)
        .offset(offset)
    )
    return total, (await session.execute(statement)).scalars().all()


async def get_version(session: AsyncSession, project_id: int, version: int) -> PlanVersion | None:
    return await session.get(PlanVersion, (project_id, version))


def _activity_filter(project_id: int, scope_kind: str | None, item_id: str | None) -> Any:
    conditions = [PlanChange.project_id == project_id]
    if scope_kind is not None:
        conditions.append(PlanChange.kind == scope_kind)
    if item_id is not None:
        conditions.append(PlanChange.entity_id == item_id)
    return and_(*conditions)


async def activity_page(
    session: AsyncSession, project_id: int, scope_kind: str | None, item_id: str | None, limit: int, offset: int
) -> tuple[int, Sequence[PlanChange]]:
    where = _activity_filter(project_id, scope_kind, item_id)
    total = (await session.execute(select(func.count()).select_from(PlanChange).where(where))).scalar_one()
    statement = select(PlanChange).where(where).order_by(PlanChange.id.desc()).limit(limit).offset(offset)
    return total, (await session.execute(statement)).scalars().all()


async def previous_states(session: AsyncSession, project_id: int, changes: Sequence[PlanChange]) -> dict[int, Any]:
    """For each change, the state its entity had just before it (one query for the page)."""
    if not changes:
        return {}
    entity_ids = {change.entity_id for change in changes}
    last = max(change.id for change in changes)
    statement = (
        select(PlanChange.id, PlanChange.kind, PlanChange.entity_id, PlanChange.state)
        .where(PlanChange.project_id == project_id, PlanChange.entity_id.in_(entity_ids), PlanChange.id < last)
        .order_by(PlanChange.id)
    )
    history: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for row in await session.execute(statement):
        history.setdefault((row.kind, row.entity_id), []).append((row.id, row.state))
    previous: dict[int, Any] = {}
    for change in changes:
        earlier = [
            state for change_id, state in history.get((change.kind, change.entity_id), []) if change_id < change.id
        ]
        previous[change.id] = earlier[-1] if earlier else None
    return previous
