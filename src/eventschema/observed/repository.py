"""SQL for observed traffic: adding a flush's counters, and reading them back for the API."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import case, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.enforcement.repository import upsert_statement
from eventschema.models import OVERFLOW_EVENT, ObservedEvent, ObservedProperty, ObservedValue, Project
from eventschema.observed.inference import UNKNOWN_VALUES

COUNTERS = (
    "null_count",
    "string_count",
    "numeric_count",
    "boolean_count",
    "object_count",
    "array_count",
    "numeric_strings",
    "boolean_strings",
    "datetime_strings",
)
# Names per IN list: well below the 32,767 parameters asyncpg (and SQLite) allow.
CHUNK = 1000
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def example_settings(session: AsyncSession, project_ids: Sequence[int]) -> dict[int, bool]:
    """`observe_examples` of those of the projects that exist (a Core query: each flush asks)."""
    projects = Project.__table__
    statement = select(projects.c.id, projects.c.observe_examples).where(projects.c.id.in_(project_ids))
    return {row.id: bool(row.observe_examples) for row in (await session.execute(statement)).all()}


async def tracked_events(session: AsyncSession, project_id: int, names: Sequence[str]) -> tuple[set[str], int]:
    """Which of the names the project tracks already, and how many names it tracks in all."""
    found: set[str] = set()
    for part in chunks(names):
        statement = select(ObservedEvent.event).where(
            ObservedEvent.project_id == project_id, ObservedEvent.event.in_(part)
        )
        found.update((await session.execute(statement)).scalars())
    counted = select(func.count()).where(ObservedEvent.project_id == project_id, ObservedEvent.event != OVERFLOW_EVENT)
    return found, int((await session.execute(counted)).scalar_one())


async def tracked_properties(
    session: AsyncSession, project_id: int, event: str, names: Sequence[str]
) -> tuple[set[str], int]:
    """Which of the property names the event tracks already, and how many it tracks in all."""
    found: set[str] = set()
    of_event = (ObservedProperty.project_id == project_id) & (ObservedProperty.event == event)
    for part in chunks(names):
        statement = select(ObservedProperty.property).where(of_event, ObservedProperty.property.in_(part))
        found.update((await session.execute(statement)).scalars())
    counted = select(func.count()).select_from(ObservedProperty).where(of_event)
    return found, int((await session.execute(counted)).scalar_one())


async def kept_values(session: AsyncSession, project_id: int, event: str, names: Sequence[str]) -> dict[str, set[str]]:
    """The values kept of these properties of the event."""
    found: dict[str, set[str]] = {name: set() for name in names}
    for part in chunks(names):
        statement = select(ObservedValue.property, ObservedValue.value).where(
            ObservedValue.project_id == project_id, ObservedValue.event == event, ObservedValue.property.in_(part)
        )
        for row in (await session.execute(statement)).all():
            found[row.property].add(row.value)
    return found


def _later(column: Any, excluded: Any) -> Any:
    return case((excluded > column, excluded), else_=column)


# The upserts are one statement run for many rows (executemany): the same SQL whatever the number of rows. They are
# Core statements on the tables (the ORM's bulk insert would look at every row again) built once per dialect, so a
# flush neither builds nor compiles them.
_UPSERTS: dict[tuple[str, str], Any] = {}


def _upsert(session: AsyncSession, name: str) -> Any:
    dialect = session.get_bind().dialect.name
    statement = _UPSERTS.get((dialect, name))
    if statement is None:
        statement = _UPSERTS[dialect, name] = _BUILDERS[name](upsert_statement(session))
    return statement


def _events_upsert(insert_into: Any) -> Any:
    table = ObservedEvent.__table__
    statement = insert_into(table)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[table.c.project_id, table.c.event],
        set_={
            "events": table.c.events + excluded.events,
            "overflow": table.c.overflow + excluded.overflow,
            "last_seen": _later(table.c.last_seen, excluded.last_seen),
        },
    )


def _properties_upsert(insert_into: Any) -> Any:
    table = ObservedProperty.__table__
    statement = insert_into(table)
    excluded = statement.excluded
    added = {name: table.c[name] + excluded[name] for name in ("events", *COUNTERS)}
    return statement.on_conflict_do_update(
        index_elements=[table.c.project_id, table.c.event, table.c.property],
        set_={
            **added,
            "example": func.coalesce(excluded.example, table.c.example),
            "last_seen": _later(table.c.last_seen, excluded.last_seen),
        },
    )


def _values_insert(insert_into: Any) -> Any:
    return insert_into(ObservedValue.__table__).on_conflict_do_nothing()


_BUILDERS = {"events": _events_upsert, "properties": _properties_upsert, "values": _values_insert}


async def add_events(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Add to the counters of (project, event); rows sorted by key, so concurrent writers lock in one order."""
    if not rows:
        return
    rows.sort(key=lambda row: (row["project_id"], row["event"]))
    await session.execute(_upsert(session, "events"), rows)


async def add_properties(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Add to the counters of (project, event, property); a new example replaces the one kept."""
    if not rows:
        return
    rows.sort(key=lambda row: (row["project_id"], row["event"], row["property"]))
    await session.execute(_upsert(session, "properties"), rows)


async def add_values(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    rows.sort(key=lambda row: (row["project_id"], row["event"], row["property"], row["value"]))
    await session.execute(_upsert(session, "values"), rows)


async def forget_examples(session: AsyncSession, project_id: int) -> None:
    """Drop the examples and values kept of a project's properties (its `observe_examples` was turned off).

    Each property observed so far keeps one placeholder value instead, which no enum suggestion accepts: its
    values are no longer all known, even if examples are turned on again.
    """
    await session.execute(
        update(ObservedProperty).where(ObservedProperty.project_id == project_id).values(example=None)
    )
    await session.execute(delete(ObservedValue).where(ObservedValue.project_id == project_id))
    placeholders = select(
        ObservedProperty.project_id, ObservedProperty.event, ObservedProperty.property, literal(UNKNOWN_VALUES)
    ).where(ObservedProperty.project_id == project_id)
    columns = ["project_id", "event", "property", "value"]
    await session.execute(insert(ObservedValue).from_select(columns, placeholders))


async def set_observe_examples(session: AsyncSession, project_id: int, value: bool) -> None:
    await session.execute(update(Project).where(Project.id == project_id).values(observe_examples=value))


async def observe_examples(session: AsyncSession, project_id: int) -> bool:
    statement = select(Project.observe_examples).where(Project.id == project_id)
    return bool((await session.execute(statement)).scalar_one_or_none())


# Reading.


async def events(session: AsyncSession, project_id: int) -> Sequence[ObservedEvent]:
    statement = select(ObservedEvent).where(ObservedEvent.project_id == project_id).order_by(ObservedEvent.event)
    return (await session.execute(statement)).scalars().all()


async def event(session: AsyncSession, project_id: int, name: str) -> ObservedEvent | None:
    statement = select(ObservedEvent).where(ObservedEvent.project_id == project_id, ObservedEvent.event == name)
    return (await session.execute(statement)).scalar_one_or_none()


async def properties(
    session: AsyncSession, project_id: int, names: Iterable[str] | None = None
) -> Sequence[ObservedProperty]:
    """Observed properties of the project (of these events only, if given)."""
    statement = select(ObservedProperty).where(ObservedProperty.project_id == project_id)
    if names is not None:
        statement = statement.where(ObservedProperty.event.in_(list(names)))
    ordered = statement.order_by(ObservedProperty.event, ObservedProperty.property)
    return (await session.execute(ordered)).scalars().all()


async def values(session: AsyncSession, project_id: int, event: str) -> dict[str, list[str]]:
    statement = (
        select(ObservedValue.property, ObservedValue.value)
        .where(ObservedValue.project_id == project_id, ObservedValue.event == event)
        .order_by(ObservedValue.property, ObservedValue.value)
    )
    found: dict[str, list[str]] = {}
    for row in (await session.execute(statement)).all():
        found.setdefault(row.property, []).append(row.value)
    return found
