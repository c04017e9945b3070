"""SQL for event schemas (links)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect, rows
from eventschema.models import EventDefinition, EventSchema, PropertyGroup

LINK_COLUMNS = (
    EventSchema.id,
    EventSchema.event_definition_id,
    EventSchema.property_group_id,
    EventSchema.created_at,
    EventSchema.updated_at,
    PropertyGroup.revision,
)


def _links(project_id: int) -> AnySelect:
    return (
        select(*LINK_COLUMNS)
        .join(PropertyGroup, PropertyGroup.id == EventSchema.property_group_id)
        .where(EventSchema.project_id == project_id)
    )


async def count(session: AsyncSession, project_id: int, event_definition_id: UUID | None) -> int:
    statement = select(func.count()).select_from(EventSchema).where(EventSchema.project_id == project_id)
    if event_definition_id is not None:
        statement = statement.where(EventSchema.event_definition_id == event_definition_id)
    return (await session.execute(statement)).scalar_one()


def _page_statement(by_definition: bool) -> AnySelect:
    """One page, newest first, each row with its group's revision (for the rendered-group cache) and
    the number of matching links (`total`), in one statement.

    The total is an uncorrelated subquery, evaluated once: a window count would make the database
    join and sort every link of the project instead of reading one page from the
    (project_id, created_at, id) index.
    """
    links = EventSchema.project_id == bindparam("project_id")
    if by_definition:
        links = links & (EventSchema.event_definition_id == bindparam("event_definition_id"))
    total = select(func.count()).select_from(EventSchema).where(links).scalar_subquery().label("total")
    return (
        select(*LINK_COLUMNS, total)
        .join(PropertyGroup, PropertyGroup.id == EventSchema.property_group_id)
        .where(links)
        .order_by(EventSchema.created_at.desc(), EventSchema.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


# Built once: list requests are the hot path.
_PAGE = _page_statement(by_definition=False)
_PAGE_BY_DEFINITION = _page_statement(by_definition=True)


async def page(
    session: AsyncSession, project_id: int, event_definition_id: UUID | None, limit: int, offset: int
) -> Sequence[AnyRow]:
    if event_definition_id is None:
        return await rows(session, _PAGE, project_id=project_id, limit=limit, offset=offset)
    return await rows(
        session,
        _PAGE_BY_DEFINITION,
        project_id=project_id,
        event_definition_id=event_definition_id,
        limit=limit,
        offset=offset,
    )


async def get_row(session: AsyncSession, project_id: int, link_id: UUID) -> AnyRow | None:
    return (await session.execute(_links(project_id).where(EventSchema.id == link_id))).first()


async def get(session: AsyncSession, project_id: int, link_id: UUID) -> EventSchema | None:
    statement = select(EventSchema).where(EventSchema.project_id == project_id, EventSchema.id == link_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def definition_exists(session: AsyncSession, project_id: int, definition_id: UUID) -> bool:
    statement = select(EventDefinition.id).where(
        EventDefinition.project_id == project_id, EventDefinition.id == definition_id
    )
    return (await session.execute(statement)).first() is not None


async def group_name(session: AsyncSession, project_id: int, group_id: UUID) -> str | None:
    statement = select(PropertyGroup.name).where(PropertyGroup.project_id == project_id, PropertyGroup.id == group_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def pair_taken(session: AsyncSession, definition_id: UUID, group_id: UUID, except_id: UUID | None = None) -> bool:
    statement = select(EventSchema.id).where(
        EventSchema.event_definition_id == definition_id, EventSchema.property_group_id == group_id
    )
    if except_id is not None:
        statement = statement.where(EventSchema.id != except_id)
    return (await session.execute(statement.limit(1))).first() is not None


async def add(session: AsyncSession, link: EventSchema) -> None:
    session.add(link)
    await session.flush()


async def delete_link(session: AsyncSession, link_id: UUID) -> None:
    await session.execute(delete(EventSchema).where(EventSchema.id == link_id))
