"""Rules for event schemas: both sides exist in the request's project, and each pair is linked once."""

from typing import Any
from uuid import UUID

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.enforcement.changes import schema_changed
from eventschema.event_schemas import repository
from eventschema.event_schemas.cache import PageCache
from eventschema.event_schemas.schemas import EventSchemaCreate, EventSchemaUpdate
from eventschema.history import recorder as history
from eventschema.ids import uuid7
from eventschema.models import EventSchema, utcnow
from eventschema.property_groups import repository as groups_repository
from eventschema.property_groups.rendering import GroupRenderer

PAIR_CONSTRAINT = "uq_event_schemas_event_definition_id_property_group_id"


def _link_dict(row: Any, group: orjson.Fragment) -> dict[str, Any]:
    return {
        "id": row.id,
        "event_definition": row.event_definition_id,
        "property_group": group,
        "property_group_id": row.property_group_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def list_page(
    session: AsyncSession,
    renderer: GroupRenderer,
    pages: PageCache,
    version: int,
    project_id: int,
    event_definition_id: UUID | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    rows = await pages.rows(session, version, project_id, event_definition_id, limit, offset)
    total = rows[0].total if rows else 0
    if not rows and offset > 0:
        total = await repository.count(session, project_id, event_definition_id)
    groups = await renderer.render(session, [(row.property_group_id, row.revision) for row in rows])
    return total, [_link_dict(row, groups[row.property_group_id]) for row in rows]


async def retrieve(session: AsyncSession, renderer: GroupRenderer, project_id: int, link_id: UUID) -> dict[str, Any]:
    row = await repository.get_row(session, project_id, link_id)
    if row is None:
        raise errors.NotFound()
    groups = await renderer.render(session, [(row.property_group_id, row.revision)])
    return _link_dict(row, groups[row.property_group_id])


async def _check_pair(
    session: AsyncSession, project_id: int, definition_id: UUID, group_id: UUID, except_id: UUID | None = None
) -> str:
    """Validates a link as PostHog does and returns the group's name."""
    if not await repository.definition_exists(session, project_id, definition_id):
        raise errors.does_not_exist("event_definition", definition_id)
    name = await repository.group_name(session, project_id, group_id)
    if name is None:
        raise errors.does_not_exist("property_group_id", group_id)
    if await repository.pair_taken(session, definition_id, group_id, except_id):
        raise _duplicate(name)
    return name


def _duplicate(group_name: str) -> errors.ValidationError:
    return errors.ValidationError(f"Property group '{group_name}' is already added to this event schema", code="unique")


async def create(
    session: AsyncSession, renderer: GroupRenderer, project_id: int, data: EventSchemaCreate
) -> dict[str, Any]:
    group_name = await _check_pair(session, project_id, data.event_definition, data.property_group_id)
    now = utcnow()
    link = EventSchema(
        id=uuid7(),
        project_id=project_id,
        event_definition_id=data.event_definition,
        property_group_id=data.property_group_id,
        created_at=now,
        updated_at=now,
    )
    await _write_link(session, link, group_name)
    await history.link_written(session, link)
    await groups_repository.bump_revisions(session, [data.property_group_id])
    await schema_changed(session, project_id)
    return await retrieve(session, renderer, project_id, link.id)


async def _write_link(session: AsyncSession, link: EventSchema, group_name: str) -> None:
    """Insert or flush a link; a lost race on the pair constraint becomes the duplicate error."""
    with errors.unique_violations({PAIR_CONSTRAINT: _duplicate(group_name)}):
        if link in session:
            await session.flush()
        else:
            await repository.add(session, link)


async def update(
    session: AsyncSession,
    renderer: GroupRenderer,
    project_id: int,
    link_id: UUID,
    data: EventSchemaUpdate | EventSchemaCreate,
) -> dict[str, Any]:
    """PATCH or PUT, validated as on create; both the old and the new group show the change."""
    link = await repository.get(session, project_id, link_id)
    if link is None:
        raise errors.NotFound()  # before any complaint about the body, as PostHog
    changes = data.changes()
    definition_id = changes.get("event_definition", link.event_definition_id)
    group_id = changes.get("property_group_id", link.property_group_id)
    group_name = await _check_pair(session, project_id, definition_id, group_id, except_id=link.id)
    old_group_id, old_event_id = link.property_group_id, link.event_definition_id
    link.event_definition_id = definition_id
    link.property_group_id = group_id
    link.updated_at = utcnow()
    await _write_link(session, link, group_name)
    await history.link_written(session, link, moved_from=old_event_id)
    await groups_repository.bump_revisions(session, {old_group_id, group_id})
    await schema_changed(session, project_id)
    return await retrieve(session, renderer, project_id, link.id)


async def delete(session: AsyncSession, project_id: int, link_id: UUID) -> None:
    link = await repository.get(session, project_id, link_id)
    if link is None:
        raise errors.NotFound()
    await groups_repository.bump_revisions(session, [link.property_group_id])
    await history.link_deleted(session, link)
    await repository.delete_link(session, link.id)
    await schema_changed(session, project_id)
