"""SQL for property groups and their properties."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import ARRAY, Boolean, Text, Uuid, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth.repository import USER_BASIC_COLUMNS
from eventschema.db import AnyRow, AnySelect, first_row, rows
from eventschema.enforcement.repository import record_change
from eventschema.history import repository as history_repository
from eventschema.models import EventDefinition, EventSchema, Property, PropertyGroup, User
from eventschema.models.base import UTCDateTime

PROPERTY_COLUMNS = (
    Property.property_group_id,
    Property.id,
    Property.name,
    Property.property_type,
    Property.is_required,
    Property.is_optional_in_types,
    Property.description,
    Property.validation_rules,
    Property.created_at,
    Property.updated_at,
)


async def count(session: AsyncSession, project_id: int) -> int:
    statement = select(func.count()).select_from(PropertyGroup).where(PropertyGroup.project_id == project_id)
    return (await session.execute(statement)).scalar_one()


def _page_statement(dialect: str) -> AnySelect:
    """(id, revision, total) of one page of groups, ordered by name in code-point order on every back end.

    The total is an uncorrelated subquery, evaluated once, rather than a window over every group.
    """
    name = PropertyGroup.name.collate("C") if dialect == "postgresql" else PropertyGroup.name
    in_project = PropertyGroup.project_id == bindparam("project_id")
    total = select(func.count()).select_from(PropertyGroup).where(in_project).scalar_subquery().label("total")
    return (
        select(PropertyGroup.id, PropertyGroup.revision, total)
        .where(in_project)
        .order_by(name, PropertyGroup.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


_PAGES = {dialect: _page_statement(dialect) for dialect in ("postgresql", "sqlite")}


async def page(session: AsyncSession, project_id: int, limit: int, offset: int) -> Sequence[AnyRow]:
    statement = _PAGES[session.get_bind().dialect.name]
    return await rows(session, statement, project_id=project_id, limit=limit, offset=offset)


async def revisions(session: AsyncSession, project_id: int, group_ids: Iterable[UUID]) -> Sequence[AnyRow]:
    statement = select(PropertyGroup.id, PropertyGroup.revision).where(
        PropertyGroup.project_id == project_id, PropertyGroup.id.in_(list(group_ids))
    )
    return (await session.execute(statement)).all()


async def render_rows(
    session: AsyncSession, group_ids: Sequence[UUID]
) -> tuple[Sequence[AnyRow], Sequence[AnyRow], Sequence[AnyRow]]:
    """Everything a group's representation shows, for many groups, in three statements."""
    groups = (
        await session.execute(
            select(
                PropertyGroup.id.label("group_id"),
                PropertyGroup.name.label("group_name"),
                PropertyGroup.description.label("group_description"),
                PropertyGroup.created_at.label("group_created_at"),
                PropertyGroup.updated_at.label("group_updated_at"),
                PropertyGroup.revision,
                *USER_BASIC_COLUMNS,
            )
            .outerjoin(User, User.id == PropertyGroup.created_by_id)
            .where(PropertyGroup.id.in_(group_ids))
        )
    ).all()
    properties = (
        await session.execute(select(*PROPERTY_COLUMNS).where(Property.property_group_id.in_(group_ids)))
    ).all()
    events = (
        await session.execute(
            select(EventSchema.property_group_id, EventDefinition.id, EventDefinition.name)
            .join(EventDefinition, EventDefinition.id == EventSchema.event_definition_id)
            .where(EventSchema.property_group_id.in_(group_ids))
        )
    ).all()
    return groups, properties, events


async def get(session: AsyncSession, project_id: int, group_id: UUID) -> PropertyGroup | None:
    statement = select(PropertyGroup).where(PropertyGroup.project_id == project_id, PropertyGroup.id == group_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def get_for_update(session: AsyncSession, project_id: int, group_id: UUID) -> PropertyGroup | None:
    statement = (
        select(PropertyGroup)
        .where(PropertyGroup.project_id == project_id, PropertyGroup.id == group_id)
        .with_for_update()
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def name_taken(session: AsyncSession, project_id: int, name: str, except_id: UUID | None = None) -> bool:
    statement = select(PropertyGroup.id).where(PropertyGroup.project_id == project_id, PropertyGroup.name == name)
    if except_id is not None:
        statement = statement.where(PropertyGroup.id != except_id)
    return (await session.execute(statement.limit(1))).first() is not None


async def properties_of(session: AsyncSession, group_id: UUID) -> Sequence[Property]:
    statement = select(Property).where(Property.property_group_id == group_id)
    return (await session.execute(statement)).scalars().all()


async def property_row(session: AsyncSession, project_id: int, group_id: UUID, property_id: UUID) -> AnyRow | None:
    """A property's representation columns, if it belongs to that group of that project."""
    statement = (
        select(*PROPERTY_COLUMNS)
        .join(PropertyGroup, PropertyGroup.id == Property.property_group_id)
        .where(PropertyGroup.project_id == project_id, PropertyGroup.id == group_id, Property.id == property_id)
    )
    return (await session.execute(statement)).first()


async def property_of(session: AsyncSession, group_id: UUID, property_id: UUID) -> Property | None:
    statement = select(Property).where(Property.property_group_id == group_id, Property.id == property_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def property_name_taken(session: AsyncSession, group_id: UUID, name: str, except_id: UUID | None = None) -> bool:
    statement = select(Property.id).where(Property.property_group_id == group_id, Property.name == name)
    if except_id is not None:
        statement = statement.where(Property.id != except_id)
    return (await session.execute(statement.limit(1))).first() is not None


def _insert_group_statement(dialect: str) -> Any:
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        upsert(PropertyGroup)
        .on_conflict_do_nothing(index_elements=[PropertyGroup.project_id, PropertyGroup.name])
        .returning(PropertyGroup.id)
    )


# Core statements built once and run on the session's connection: a create is the API's hottest write, and
# building an INSERT per request, or going through the ORM's bulk-insert path, cost more than the round trips.
_INSERT_GROUP = {dialect: _insert_group_statement(dialect) for dialect in ("postgresql", "sqlite")}
_INSERT_PROPERTIES = insert(Property)

# On PostgreSQL a create is one statement: the group (unless its name is taken), its properties, the schema
# change that announces it and the plan history's entry, each insert reading the group's id from the one before,
# so one round trip does what took four. Nothing is written when the name is taken (the later inserts select from
# no row).
_CREATE_GROUP_POSTGRESQL = text(
    """
    WITH new_group AS (
        INSERT INTO schema_property_groups
            (id, project_id, name, description, created_by_id, created_at, updated_at, revision)
        VALUES (:id, :project_id, :name, :description, :created_by_id, :created_at, :updated_at, :revision)
        ON CONFLICT (project_id, name) DO NOTHING
        RETURNING id
    ), new_properties AS (
        INSERT INTO schema_properties
            (id, property_group_id, name, property_type, is_required, is_optional_in_types, description,
             validation_rules, created_at, updated_at)
        SELECT p.id, new_group.id, p.name, p.property_type, p.is_required, p.is_optional_in_types, p.description,
               CAST(p.validation_rules AS JSON), :created_at, :updated_at
        FROM new_group,
             unnest(:property_ids, :property_names, :property_types, :property_required,
                    :property_optional_in_types, :property_descriptions, :property_rules)
             AS p(id, name, property_type, is_required, is_optional_in_types, description, validation_rules)
    ), new_change AS (
        INSERT INTO schema_changes (project_id, changed_at) SELECT :project_id, :created_at FROM new_group
    ), new_history AS (
        INSERT INTO plan_changes (project_id, change_key, kind, entity_id, state, actor, created_at)
        SELECT :project_id, :history_change_key, :history_kind, :history_entity_id, CAST(:history_state AS JSON),
               CAST(:history_actor AS JSON), :history_created_at
        FROM new_group
    )
    SELECT id FROM new_group
    """
).bindparams(
    bindparam("id", type_=Uuid()),
    bindparam("created_at", type_=UTCDateTime()),
    bindparam("updated_at", type_=UTCDateTime()),
    bindparam("property_ids", type_=ARRAY(Uuid())),
    bindparam("property_names", type_=ARRAY(Text())),
    bindparam("property_types", type_=ARRAY(Text())),
    bindparam("property_required", type_=ARRAY(Boolean())),
    bindparam("property_optional_in_types", type_=ARRAY(Boolean())),
    bindparam("property_descriptions", type_=ARRAY(Text())),
    bindparam("property_rules", type_=ARRAY(Text())),
    bindparam("history_created_at", type_=UTCDateTime()),
)


async def create_group(
    session: AsyncSession, group: dict[str, Any], properties: list[dict[str, Any]], history_row: dict[str, Any]
) -> bool:
    """Insert the group, its properties, a schema change and the plan history's row (`plan_changes` columns),
    unless the project has a group of that name (then nothing is written and the answer is False): the check and
    the writes with no race between them.

    The schema change is the row `enforcement.changes.schema_changed(..., recorded=True)` then announces.
    """
    if session.get_bind().dialect.name != "postgresql":
        if not await insert_group_if_name_free(session, group):
            return False
        await insert_properties(session, properties)
        await record_change(session, group["project_id"])
        await history_repository.append(session, [history_row])
        return True
    columns = {
        "property_ids": "id",
        "property_names": "name",
        "property_types": "property_type",
        "property_required": "is_required",
        "property_optional_in_types": "is_optional_in_types",
        "property_descriptions": "description",
    }
    params = {key: [values[column] for values in properties] for key, column in columns.items()}
    params["property_rules"] = [_json_or_none(values.get("validation_rules")) for values in properties]
    history = {
        "history_change_key": history_row["change_key"],
        "history_kind": history_row["kind"],
        "history_entity_id": history_row["entity_id"],
        "history_state": _json_or_none(history_row["state"]),
        "history_actor": _json_or_none(history_row["actor"]),
        "history_created_at": history_row["created_at"],
    }
    return await first_row(session, _CREATE_GROUP_POSTGRESQL, **group, **params, **history) is not None


def _json_or_none(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


async def insert_group_if_name_free(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert the group unless its project has a group of that name (then False): the check and the write in one
    round trip, and no race between them."""
    statement = _INSERT_GROUP[session.get_bind().dialect.name]
    return await first_row(session, statement, **values) is not None


async def insert_properties(session: AsyncSession, values: list[dict[str, Any]]) -> None:
    if values:
        connection = await session.connection()
        await connection.execute(_INSERT_PROPERTIES, values)


async def add(session: AsyncSession, *objects: object) -> None:
    session.add_all(objects)
    await session.flush()


async def delete_properties(session: AsyncSession, property_ids: Sequence[UUID]) -> None:
    if property_ids:
        await session.execute(delete(Property).where(Property.id.in_(property_ids)))


async def delete_group(session: AsyncSession, group_id: UUID) -> None:
    await session.execute(delete(PropertyGroup).where(PropertyGroup.id == group_id))


async def bump_revisions(session: AsyncSession, group_ids: Iterable[UUID], updated_at: datetime | None = None) -> None:
    """Mark groups as changed so their cached representations are rebuilt."""
    ids = list(group_ids)
    if not ids:
        return
    values: dict[str, Any] = {"revision": PropertyGroup.revision + 1}
    if updated_at is not None:
        values["updated_at"] = updated_at
    await session.execute(update(PropertyGroup).where(PropertyGroup.id.in_(ids)).values(**values))


async def bump_groups_created_by(session: AsyncSession, user_id: int) -> list[int]:
    """Mark the groups a user created as changed (they show the user's name); the projects they belong to."""
    created = PropertyGroup.created_by_id == user_id
    projects = await session.execute(select(PropertyGroup.project_id).where(created).distinct())
    found = sorted(projects.scalars())
    await session.execute(update(PropertyGroup).where(created).values(revision=PropertyGroup.revision + 1))
    return found


async def bump_groups_linked_to(session: AsyncSession, event_definition_id: UUID) -> None:
    linked = select(EventSchema.property_group_id).where(EventSchema.event_definition_id == event_definition_id)
    await session.execute(
        update(PropertyGroup).where(PropertyGroup.id.in_(linked)).values(revision=PropertyGroup.revision + 1)
    )
