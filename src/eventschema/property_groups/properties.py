"""Rules for one property of a group, read and written without resending the group.

Each write is checked as the same property would be in a whole-group update, and changes what the group shows as
one does: the group's revision goes up (so every rendered copy of it is rebuilt) and the project's schemas are
announced as changed (so compiled checkers and cached pages are dropped).
"""

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.enforcement.changes import schema_changed
from eventschema.history import recorder as history
from eventschema.models import PropertyGroup, utcnow
from eventschema.property_groups import repository, rules
from eventschema.property_groups.rendering import property_dict
from eventschema.property_groups.schemas import PropertyCreate, PropertyUpdate
from eventschema.property_groups.service import duplicate_property, property_values

NAME_CONSTRAINT = "uq_schema_properties_property_group_id_name"


def _duplicate(name: str) -> errors.ValidationError:
    return errors.ValidationError(duplicate_property(name), attr="name")


async def retrieve(session: AsyncSession, project_id: int, group_id: UUID, property_id: UUID) -> dict[str, Any]:
    row = await repository.property_row(session, project_id, group_id, property_id)
    if row is None:
        raise errors.NotFound()
    return property_dict(row)


async def group_exists(session: AsyncSession, project_id: int, group_id: UUID) -> None:
    """Raise NotFound unless the project has that group."""
    if await repository.get(session, project_id, group_id) is None:
        raise errors.NotFound()


async def _group(session: AsyncSession, project_id: int, group_id: UUID) -> PropertyGroup:
    """The group, locked until the transaction ends: its writes (and whole-group updates) go one at a time."""
    group = await repository.get_for_update(session, project_id, group_id)
    if group is None:
        raise errors.NotFound()
    return group


async def _changed(session: AsyncSession, project_id: int, group: PropertyGroup) -> None:
    group.revision += 1
    group.updated_at = utcnow()
    await session.flush()
    await history.group_written(session, project_id, group.id)
    await schema_changed(session, project_id)


async def create(session: AsyncSession, project_id: int, group_id: UUID, data: PropertyCreate) -> dict[str, Any]:
    group = await _group(session, project_id, group_id)
    stored_rules = rules.normalise(data.property_type, data.validation_rules)
    if await repository.property_name_taken(session, group.id, data.name):
        raise _duplicate(data.name)
    values = property_values(group.id, data, stored_rules, utcnow())
    with errors.unique_violations({NAME_CONSTRAINT: _duplicate(data.name)}):
        await repository.insert_properties(session, [values])
    await _changed(session, project_id, group)
    return {key: value for key, value in values.items() if key != "property_group_id"}


async def update(
    session: AsyncSession, project_id: int, group_id: UUID, property_id: UUID, data: PropertyUpdate
) -> dict[str, Any]:
    """Fields not sent are left as they are; rules kept from before are checked again if the type changes."""
    group = await _group(session, project_id, group_id)
    prop = await repository.property_of(session, group.id, property_id)
    if prop is None:
        raise errors.NotFound()
    changes = data.changes()
    property_type = changes.get("property_type", prop.property_type)
    if "validation_rules" in changes:
        changes["validation_rules"] = rules.normalise(property_type, changes["validation_rules"])
    elif property_type != prop.property_type:
        rules.normalise(property_type, rules.parse_stored(prop.validation_rules))
    name = changes.get("name")
    if name is not None and name != prop.name and await repository.property_name_taken(session, group.id, name):
        raise _duplicate(name)
    if any(getattr(prop, field) != value for field, value in changes.items()):
        for field, value in changes.items():
            setattr(prop, field, value)
        prop.updated_at = utcnow()
    with errors.unique_violations({NAME_CONSTRAINT: _duplicate(name or prop.name)}):
        await _changed(session, project_id, group)
    return property_dict(prop)


async def delete(session: AsyncSession, project_id: int, group_id: UUID, property_id: UUID) -> None:
    group = await _group(session, project_id, group_id)
    prop = await repository.property_of(session, group.id, property_id)
    if prop is None:
        raise errors.NotFound()
    await repository.delete_properties(session, [prop.id])
    await _changed(session, project_id, group)
