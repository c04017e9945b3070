"""SQL for enforcement: schema versions and their notifications, a project's schemas, violation counters."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, first_row, rows
from eventschema.models import (
    CredentialChange,
    EventDefinition,
    EventSchema,
    Project,
    Property,
    SchemaChange,
    ViolationCount,
    utcnow,
)

CHANNEL = "eventschema_schema_changed"


def version_of(project_id: Any) -> Any:
    """The project's schema version: the id of its latest change, 0 before the first."""
    latest = select(func.max(SchemaChange.id)).where(SchemaChange.project_id == project_id).scalar_subquery()
    return func.coalesce(latest, 0)


_VERSION = select(version_of(bindparam("project_id")).label("schema_version"))
_PROJECT = select(Project.validation_mode, version_of(Project.id).label("schema_version")).where(
    Project.id == bindparam("project_id")
)
_CURRENT = (
    select(SchemaChange.project_id, func.max(SchemaChange.id).label("schema_version"))
    .where(SchemaChange.project_id.in_(bindparam("project_ids", expanding=True)))
    .group_by(SchemaChange.project_id)
)
_DEFINITIONS = select(EventDefinition.name, EventDefinition.enforcement_mode, EventDefinition.flag_unexpected).where(
    EventDefinition.project_id == bindparam("project_id")
)
_PROPERTIES = (
    select(
        EventDefinition.name.label("event"),
        Property.name,
        Property.property_type,
        Property.is_required,
        Property.validation_rules,
    )
    .select_from(EventSchema)
    .join(EventDefinition, EventDefinition.id == EventSchema.event_definition_id)
    .join(Property, Property.property_group_id == EventSchema.property_group_id)
    .where(EventSchema.project_id == bindparam("project_id"))
)
# What generated code and the plan document are built from, in one indexed statement: the schema version moves
# with every change made through the API, and the count of definitions with those capture adds (it only adds).
_PLAN_REVISION = select(
    version_of(bindparam("project_id")).label("schema_version"),
    select(func.count())
    .select_from(EventDefinition)
    .where(EventDefinition.project_id == bindparam("project_id"))
    .scalar_subquery()
    .label("definitions"),
)
_NOTIFY = select(func.pg_notify(CHANNEL, bindparam("payload")))


async def schema_version(session: AsyncSession, project_id: int) -> int:
    row = await first_row(session, _VERSION, project_id=project_id)
    return 0 if row is None else int(row.schema_version)


async def plan_revision(session: AsyncSession, project_id: int) -> tuple[int, int]:
    """(schema version, number of event definitions): equal revisions, equal generated code and plan document."""
    row = await first_row(session, _PLAN_REVISION, project_id=project_id)
    return (0, 0) if row is None else (int(row.schema_version), int(row.definitions))


_CREDENTIALS_REVISION = select(func.coalesce(func.max(CredentialChange.id), 0))
_RECORD_CREDENTIALS_CHANGE = insert(CredentialChange)


async def credentials_revision(session: AsyncSession) -> int:
    """The id of the latest credential change (0 before the first): one lookup at the end of the primary key."""
    connection = await session.connection()
    return int((await connection.execute(_CREDENTIALS_REVISION)).scalar_one())


async def record_credentials_change(session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.execute(_RECORD_CREDENTIALS_CHANGE, {"changed_at": utcnow()})


_RECORD_CHANGE = insert(SchemaChange)


async def record_change(session: AsyncSession, project_id: int) -> None:
    connection = await session.connection()
    await connection.execute(_RECORD_CHANGE, {"project_id": project_id, "changed_at": utcnow()})


async def current_versions(session: AsyncSession, project_ids: Sequence[int]) -> dict[int, int]:
    """The schema version of each of these projects that has had a change."""
    found = await rows(session, _CURRENT, project_ids=list(project_ids))
    return {row.project_id: int(row.schema_version) for row in found}


async def notify(session: AsyncSession, payload: str) -> None:
    """Tell other processes (on PostgreSQL) of a change; delivered when the transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        await rows(session, _NOTIFY, payload=payload)


async def project_row(session: AsyncSession, project_id: int) -> AnyRow | None:
    return await first_row(session, _PROJECT, project_id=project_id)


async def definitions(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(name, enforcement_mode, flag_unexpected) of every event definition of the project."""
    return await rows(session, _DEFINITIONS, project_id=project_id)


async def linked_properties(session: AsyncSession, project_id: int) -> Sequence[AnyRow]:
    """(event, name, property_type, is_required, validation_rules) for every property of every group linked to
    an event."""
    return await rows(session, _PROPERTIES, project_id=project_id)


def upsert_statement(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def add_violation_counts(
    session: AsyncSession, counts: Mapping[tuple[int, datetime, str, str, str], int]
) -> None:
    """Add to the counters of (project id, hour, event, property, reason), in one statement; rows are sorted so
    that concurrent writers lock them in the same order."""
    if not counts:
        return
    keys = ("project_id", "hour", "event", "property", "reason")
    values = [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in sorted(counts.items())]
    insert = upsert_statement(session)(ViolationCount).values(values)
    statement = insert.on_conflict_do_update(
        index_elements=[getattr(ViolationCount, key) for key in keys],
        set_={"count": ViolationCount.count + insert.excluded.count},
    )
    await session.execute(statement)


async def violation_counts(
    session: AsyncSession, project_id: int, since: datetime, event: str | None, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    """(event, property, reason, occurrences) summed since `since`, most frequent first, and how many such rows."""
    occurrences = func.sum(ViolationCount.count).label("occurrences")
    grouped = (
        select(ViolationCount.event, ViolationCount.property, ViolationCount.reason, occurrences)
        .where(ViolationCount.project_id == project_id, ViolationCount.hour >= since)
        .group_by(ViolationCount.event, ViolationCount.property, ViolationCount.reason)
    )
    if event is not None:
        grouped = grouped.where(ViolationCount.event == event)
    statement = (
        grouped.add_columns(func.count().over().label("total"))
        .order_by(occurrences.desc(), ViolationCount.event, ViolationCount.property, ViolationCount.reason)
        .limit(limit)
        .offset(offset)
    )
    found = (await session.execute(statement)).all()
    if found or offset == 0:
        return (found[0].total if found else 0), found
    counted = (await session.execute(select(func.count()).select_from(grouped.subquery()))).scalar_one()
    return counted, found


async def violation_history(
    session: AsyncSession,
    project_id: int,
    since: datetime,
    until: datetime,
    event: str | None,
    limit: int,
    offset: int,
) -> tuple[int, Sequence[AnyRow], Sequence[AnyRow]]:
    """A page of (event, property, occurrences) in [since, until), most first, how many such pairs there are, and
    (event, property, hour, reason, count) of the page's pairs."""
    in_range = (
        (ViolationCount.project_id == project_id) & (ViolationCount.hour >= since) & (ViolationCount.hour < until)
    )
    if event is not None:
        in_range = in_range & (ViolationCount.event == event)
    occurrences = func.sum(ViolationCount.count).label("occurrences")
    grouped = (
        select(ViolationCount.event, ViolationCount.property, occurrences)
        .where(in_range)
        .group_by(ViolationCount.event, ViolationCount.property)
    )
    counted = (await session.execute(select(func.count()).select_from(grouped.subquery()))).scalar_one()
    page = (
        await session.execute(
            grouped.order_by(occurrences.desc(), ViolationCount.event, ViolationCount.property)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    if not page:
        return int(counted), page, []
    keys = [(row.event, row.property) for row in page]
    buckets = (
        await session.execute(
            select(
                ViolationCount.event,
                ViolationCount.property,
                ViolationCount.hour,
                ViolationCount.reason,
                ViolationCount.count.label("n"),
            ).where(in_range, tuple_(ViolationCount.event, ViolationCount.property).in_(keys))
        )
    ).all()
    return int(counted), page, buckets
