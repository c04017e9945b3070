"""Rules for event definitions: unique names per project; renames and deletes refresh linked groups."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.enforcement.changes import schema_changed
from eventschema.event_definitions import repository
from eventschema.event_definitions.schemas import EventDefinitionCreate, EventDefinitionUpdate
from eventschema.history import recorder as history
from eventschema.ids import uuid7
from eventschema.models import EventDefinition, utcnow
from eventschema.property_groups import repository as groups_repository

DUPLICATE_NAME = "An event definition with this name already exists in this project."


def _duplicate() -> errors.ValidationError:
    return errors.ValidationError(DUPLICATE_NAME, code="unique", attr="name")


async def list_page(
    session: AsyncSession, project_id: int, search: str | None, limit: int, offset: int
) -> tuple[int, Sequence[EventDefinition]]:
    if search is not None and "\x00" in search:
        return 0, []  # no stored name can contain it (and PostgreSQL refuses it as a parameter)
    return await repository.page(session, project_id, search, limit, offset)


async def retrieve(session: AsyncSession, project_id: int, definition_id: UUID) -> EventDefinition:
    definition = await repository.get(session, project_id, definition_id)
    if definition is None:
        raise errors.NotFound()
    return definition


async def by_name(session: AsyncSession, project_id: int, name: str | None) -> EventDefinition:
    if name is None:
        raise errors.ValidationError("Query parameter 'name' is required", code="required", attr="name")
    definition = None if "\x00" in name else await repository.get_by_name(session, project_id, name)
    if definition is None:
        raise errors.NotFound()
    return definition


async def create(session: AsyncSession, project_id: int, data: EventDefinitionCreate) -> EventDefinition:
    if await repository.get_by_name(session, project_id, data.name) is not None:
        raise _duplicate()
    definition = EventDefinition(
        id=uuid7(),
        project_id=project_id,
        name=data.name,
        description=data.description,
        enforcement_mode=data.enforcement_mode,
        flag_unexpected=data.flag_unexpected,
        created_at=utcnow(),
    )
    with errors.unique_violations({"uq_event_definitions_project_id_name": _duplicate()}):
        await repository.add(session, definition)
    await history.event_written(session, definition, new=True)
    await schema_changed(session, project_id)
    return definition


async def update(
    session: AsyncSession, project_id: int, definition_id: UUID, data: EventDefinitionUpdate | EventDefinitionCreate
) -> EventDefinition:
    """PATCH or PUT; fields not sent are left as they are."""
    definition = await retrieve(session, project_id, definition_id)  # 404 before any complaint about the body
    changes = data.changes()
    name = changes.get("name")
    if name is not None and name != definition.name:
        existing = await repository.get_by_name(session, project_id, name)
        if existing is not None:
            raise _duplicate()
        # Linked groups list this event by name.
        await groups_repository.bump_groups_linked_to(session, definition.id)
    for field, value in changes.items():
        setattr(definition, field, value)
    with errors.unique_violations({"uq_event_definitions_project_id_name": _duplicate()}):
        await session.flush()
    await history.event_written(session, definition)
    await schema_changed(session, project_id)
    return definition


async def delete(session: AsyncSession, project_id: int, definition_id: UUID) -> None:
    """Deletes the definition and, by cascade, its event schemas."""
    definition = await retrieve(session, project_id, definition_id)
    await groups_repository.bump_groups_linked_to(session, definition.id)
    await history.event_deleted(session, project_id, definition.id)
    await repository.delete_definition(session, definition.id)
    await schema_changed(session, project_id)
