"""Rules for property groups: unique names, authoritative property lists that keep ids, one transaction each."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth.principal import Principal
from eventschema.enforcement.changes import schema_changed
from eventschema.history import recorder as history
from eventschema.ids import uuid7
from eventschema.models import Property, utcnow
from eventschema.property_groups import repository, rules
from eventschema.property_groups.rendering import GroupRenderer
from eventschema.property_groups.schemas import PropertyCreate, PropertyGroupCreate, PropertyGroupUpdate, PropertyWrite

DUPLICATE_GROUP = "A property group with this name already exists for this team"
PROPERTY_FIELDS = ("name", "property_type", "is_required", "is_optional_in_types", "description")


def _duplicate_group_error() -> errors.ValidationError:
    return errors.ValidationError(DUPLICATE_GROUP, attr="name")


def _checked(properties: Sequence[PropertyWrite]) -> list[dict[str, Any] | None]:
    """Refuse a name given twice; the stored form of each property's rules, in the list's order."""
    seen: set[str] = set()
    for item in properties:
        if item.name in seen:
            raise errors.ValidationError(duplicate_property(item.name), attr="properties")
        seen.add(item.name)
    return [
        rules.normalise(item.property_type, item.validation_rules, f"properties__{index}")
        for index, item in enumerate(properties)
    ]


def duplicate_property(name: str) -> str:
    return f"A property named '{name}' already exists in this group"


def _unique_errors() -> dict[str, errors.APIError]:
    return {"uq_schema_property_groups_project_id_name": _duplicate_group_error()}


async def list_page(
    session: AsyncSession, renderer: GroupRenderer, project_id: int, limit: int, offset: int
) -> tuple[int, list[orjson.Fragment]]:
    rows = await repository.page(session, project_id, limit, offset)
    total = rows[0].total if rows else 0
    if not rows and offset > 0:
        total = await repository.count(session, project_id)
    fragments = await renderer.render(session, [(row.id, row.revision) for row in rows])
    return total, [fragments[row.id] for row in rows if row.id in fragments]


async def retrieve(session: AsyncSession, renderer: GroupRenderer, project_id: int, group_id: UUID) -> orjson.Fragment:
    fragment = await renderer.render_one(session, project_id, group_id)
    if fragment is None:
        raise errors.NotFound()
    return fragment


async def create(
    session: AsyncSession, project_id: int, principal: Principal, data: PropertyGroupCreate
) -> dict[str, Any]:
    """Insert the group, its properties and the schema change (one statement on PostgreSQL) and answer from what
    was written."""
    stored_rules = _checked(data.properties)
    now = utcnow()
    group: dict[str, Any] = {
        "id": uuid7(),
        "project_id": project_id,
        "name": data.name,
        "description": data.description,
        "created_by_id": principal.user.id,
        "created_at": now,
        "updated_at": now,
        "revision": 1,
    }
    properties = [
        property_values(group["id"], item, item_rules, now)
        for item, item_rules in zip(data.properties, stored_rules, strict=True)
    ]
    history_row = history.group_created(session, project_id, group, properties)
    with errors.unique_violations(_unique_errors()):
        if not await repository.create_group(session, group, properties, history_row):
            raise _duplicate_group_error()
    await schema_changed(session, project_id, recorded=True)
    return {
        "id": group["id"],
        "name": group["name"],
        "description": group["description"],
        "properties": [
            {key: value for key, value in values.items() if key != "property_group_id"}
            for values in sorted(properties, key=lambda values: values["name"])
        ],
        "events": [],
        "created_at": now,
        "updated_at": now,
        "created_by": principal.user.public_dict(),
    }


def property_values(
    group_id: UUID, item: PropertyCreate, stored_rules: dict[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """A new property's columns, in the order its representation lists them."""
    return {
        "id": uuid7(),
        "property_group_id": group_id,
        "name": item.name,
        "property_type": item.property_type,
        "is_required": item.is_required,
        "is_optional_in_types": item.is_optional_in_types,
        "description": item.description,
        "validation_rules": stored_rules,
        "created_at": now,
        "updated_at": now,
    }


async def update(
    session: AsyncSession,
    renderer: GroupRenderer,
    project_id: int,
    group_id: UUID,
    data: PropertyGroupUpdate | PropertyGroupCreate,
) -> orjson.Fragment:
    """PATCH (PropertyGroupUpdate) or PUT (PropertyGroupCreate): fields not sent are left as they are."""
    group = await repository.get_for_update(session, project_id, group_id)
    if group is None:
        raise errors.NotFound()  # before any complaint about the body, as PostHog
    changes = data.changes()
    incoming: list[PropertyWrite] | None = changes.get("properties")
    stored_rules = _checked(incoming) if incoming is not None else []
    name = changes.get("name")
    if name is not None and name != group.name and await repository.name_taken(session, project_id, name, group.id):
        raise _duplicate_group_error()
    now = utcnow()
    with errors.unique_violations(_unique_errors()):
        if name is not None:
            group.name = name
        if changes.get("description") is not None:
            group.description = changes["description"]
        group.updated_at = now
        group.revision += 1
        await session.flush()
        if incoming is not None:
            await _replace_properties(session, group.id, incoming, stored_rules, now)
    await history.group_written(session, project_id, group.id)
    await schema_changed(session, project_id)
    fragment = await renderer.render_one(session, project_id, group.id)
    assert fragment is not None  # the group was just written in this transaction
    return fragment


async def _replace_properties(
    session: AsyncSession,
    group_id: UUID,
    incoming: list[PropertyWrite],
    stored_rules: list[dict[str, Any] | None],
    now: datetime,
) -> None:
    """The list is the complete new set: matching ids are updated in place (keeping their ids), entries
    without an id are created, and properties missing from the list are deleted."""
    existing = {prop.id: prop for prop in await repository.properties_of(session, group_id)}
    seen: set[UUID] = set()
    for index, item in enumerate(incoming):
        if item.id is None:
            continue
        if item.id not in existing:
            raise errors.does_not_exist(f"properties__{index}__id", item.id)
        if item.id in seen:
            # Two entries for one property would silently keep only the last.
            raise errors.ValidationError(
                f'Property id "{item.id}" appears more than once.', code="unique", attr=f"properties__{index}__id"
            )
        seen.add(item.id)
    kept = {item.id for item in incoming if item.id is not None}
    await repository.delete_properties(session, [pid for pid in existing if pid not in kept])
    renamed = [item for item in incoming if item.id is not None and existing[item.id].name != item.name]
    # Renames can swap names between properties; park them on unique placeholders first so the
    # (group, name) constraint never sees two rows with one name mid-update. A placeholder is longer
    # than any valid name (200) so it cannot clash, and has no NUL byte, which PostgreSQL text refuses.
    for item in renamed:
        existing[item.id].name = f"{'~' * 201}{item.id}"  # type: ignore[index]
    if renamed:
        await session.flush()
    created: list[Property] = []
    for item, item_rules in zip(incoming, stored_rules, strict=True):
        if item.id is None:
            created.append(Property(**property_values(group_id, item, item_rules, now)))
            continue
        prop = existing[item.id]
        values = {**item.model_dump(include=set(PROPERTY_FIELDS)), "validation_rules": item_rules}
        if any(getattr(prop, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(prop, field, value)
            prop.updated_at = now
    await session.flush()
    if created:
        await repository.add(session, *created)


async def delete(session: AsyncSession, project_id: int, group_id: UUID) -> None:
    group = await repository.get(session, project_id, group_id)
    if group is None:
        raise errors.NotFound()
    await history.group_deleted(session, project_id, group.id)
    await repository.delete_group(session, group.id)
    await schema_changed(session, project_id)
