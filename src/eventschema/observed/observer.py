"""The gateway's observer: counts what capture requests carry (`tally`) and adds it to the database at most
once per `observe_flush_seconds` per process, and once more when the process stops.

Nothing here can fail or hold up a capture: counting is in memory, and writing happens in a task of its own, in
its own transaction. A flush that fails is logged and its counts are dropped (they are statistics, and keeping
them would let a database outage grow memory without bound).

Bounds (`observe_max_events` names per project, `observe_max_properties` names per event) are decided here, at
flush time, against what the database tracks: a name past the bound is not tracked, and is counted as overflow
(events of untracked names in the project's overflow row, occurrences of untracked properties in their event's
`overflow`). Concurrent processes each check the bound before adding, so together they may pass it by what they
admit in the same second.

What is known to exist in the database is remembered by the process, so that in steady traffic a flush is three
statements (the projects' example settings, the events' and the properties' upserts).
"""

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

from eventschema.db import Database
from eventschema.models import OVERFLOW_EVENT
from eventschema.observed import repository
from eventschema.observed.tally import KEPT_VALUES, MAX_SHAPES, SLOTS, EventTally, PropertyTally, Tally
from eventschema.settings import Settings

logger = logging.getLogger("eventschema.observed")

REMEMBERED = 500_000


class Known:
    """What this process knows exists in the database: tracked event and property names, and kept values."""

    def __init__(self) -> None:
        self.events: set[tuple[int, str]] = set()
        self.properties: set[tuple[int, str, str]] = set()
        self.values: dict[tuple[int, str, str], set[str]] = {}

    def forget_values(self, project_id: int) -> None:
        for key in [key for key in self.values if key[0] == project_id]:
            del self.values[key]

    def trim(self) -> None:
        if len(self.properties) + len(self.values) > REMEMBERED:
            self.events.clear()
            self.properties.clear()
            self.values.clear()


class Observer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._tally = Tally()
        self._known = Known()
        self._database: Database | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()

    def observe(self, database: Database, project_id: int, seen_at: datetime, events: Any) -> None:
        """Count a request's (name, properties) pairs; never raises."""
        self._database = database
        try:
            self._tally.observe(project_id, seen_at, events)
        except Exception:
            logger.exception("could not count a capture request's events")
        if self._tally.size > MAX_SHAPES:
            self._wake.set()

    async def run(self, database: Database) -> None:
        """Flush every interval (sooner if too much is pending), until cancelled."""
        self._database = database
        interval = self._settings.observe_flush_seconds
        while True:
            started = time.monotonic()
            # Shielded: when the app stops, a flush under way finishes, and the last one (`close`) waits for it.
            await asyncio.shield(self.flush())
            self._wake.clear()
            try:
                async with asyncio.timeout(max(0.0, interval - (time.monotonic() - started))):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def flush(self) -> None:
        """Write what was counted since the last flush; a failure is logged, never raised."""
        async with self._lock:
            tally, self._tally = self._tally, Tally()
            if not tally or self._database is None:
                return
            try:
                await self._write(self._database, tally)
            except Exception:
                logger.exception("could not write observed traffic; %d shapes of events dropped", tally.size)

    async def _write(self, database: Database, tally: Tally) -> None:
        events, properties = tally.fold()
        seen_at = tally.last_seen
        assert seen_at is not None
        by_project: dict[int, list[str]] = {}
        for project_id, name in events:
            by_project.setdefault(project_id, []).append(name)
        by_event: dict[tuple[int, str], dict[str, PropertyTally]] = {}
        for (project_id, name, prop), counted in properties.items():
            by_event.setdefault((project_id, name), {})[prop] = counted
        async with database.session(write=True) as session:
            examples = await repository.example_settings(session, sorted(by_project))
            event_rows: list[dict[str, Any]] = []
            property_rows: list[dict[str, Any]] = []
            value_rows: list[dict[str, Any]] = []
            for project_id, names in sorted(by_project.items()):
                if project_id not in examples:
                    continue  # deleted meanwhile
                if not examples[project_id]:
                    self._known.forget_values(project_id)  # they were deleted when examples were turned off
                admitted = await self._admit_events(session, project_id, names)
                overflow = EventTally()
                for name in names:
                    tallied = events[project_id, name]
                    if name not in admitted:
                        overflow.events += tallied.events
                        continue
                    own = by_event.get((project_id, name), {})
                    kept, past = await self._admit_properties(session, project_id, name, own)
                    event_rows.append(_event_row(project_id, name, tallied, past, seen_at))
                    for prop in kept:
                        counted = own[prop]
                        property_rows.append(
                            _property_row(project_id, name, prop, counted, seen_at, examples[project_id])
                        )
                    if examples[project_id]:
                        value_rows += await self._new_values(session, project_id, name, {p: own[p] for p in kept})
                if overflow.events:
                    event_rows.append(_event_row(project_id, OVERFLOW_EVENT, overflow, 0, seen_at))
            await repository.add_events(session, event_rows)
            await repository.add_properties(session, property_rows)
            await repository.add_values(session, value_rows)
            await session.commit()
        self._known.trim()

    async def _admit_events(self, session: Any, project_id: int, names: list[str]) -> set[str]:
        known = self._known.events
        unknown = [name for name in names if (project_id, name) not in known]
        if not unknown:
            return set(names)
        found, tracked = await repository.tracked_events(session, project_id, unknown)
        admitted = {name for name in names if (project_id, name) in known or name in found}
        for name in sorted(set(unknown) - found):
            if tracked >= self._settings.observe_max_events:
                break
            admitted.add(name)
            tracked += 1
        known.update((project_id, name) for name in admitted)
        return admitted

    async def _admit_properties(
        self, session: Any, project_id: int, event: str, own: dict[str, PropertyTally]
    ) -> tuple[list[str], int]:
        """The properties to add, and how many occurrences of the others are past the bound."""
        known = self._known.properties
        unknown = [name for name in own if (project_id, event, name) not in known]
        if not unknown:
            return list(own), 0
        found, tracked = await repository.tracked_properties(session, project_id, event, unknown)
        admitted = [name for name in own if (project_id, event, name) in known or name in found]
        past = 0
        for name in sorted(set(unknown) - found):
            if tracked >= self._settings.observe_max_properties:
                past += own[name].events
                continue
            admitted.append(name)
            tracked += 1
        known.update((project_id, event, name) for name in admitted)
        return admitted, past

    async def _new_values(
        self, session: Any, project_id: int, event: str, own: dict[str, PropertyTally]
    ) -> list[dict[str, Any]]:
        """Values not kept yet, while a property has fewer than KEPT_VALUES."""
        known = self._known.values
        with_values = {name: tally.values for name, tally in own.items() if tally.values}
        unknown = [name for name in with_values if (project_id, event, name) not in known]
        if unknown:
            for name, kept in (await repository.kept_values(session, project_id, event, unknown)).items():
                known[project_id, event, name] = kept
        rows = []
        for name, values in with_values.items():
            kept = known[project_id, event, name]
            for value in sorted(values - kept)[: max(0, KEPT_VALUES - len(kept))]:
                kept.add(value)
                rows.append({"project_id": project_id, "event": event, "property": name, "value": value})
        return rows

    async def close(self) -> None:
        """The last flush, when the process stops."""
        await self.flush()


def _event_row(project_id: int, name: str, tallied: EventTally, overflow: int, seen_at: datetime) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "event": name,
        "events": tallied.events,
        "overflow": overflow,
        "first_seen": tallied.first_seen or seen_at,
        "last_seen": seen_at,
    }


def _property_row(
    project_id: int, event: str, name: str, tallied: PropertyTally, seen_at: datetime, examples: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {"project_id": project_id, "event": event, "property": name, "events": tallied.events}
    row.update(zip(repository.COUNTERS, tallied.counts[:SLOTS], strict=True))
    row["example"] = tallied.example if examples else None
    row["first_seen"] = tallied.first_seen or seen_at
    row["last_seen"] = seen_at
    return row
