"""Observed properties with their plan status, the project's drift report, and proposals."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.event_definitions import service as definitions
from eventschema.models import OVERFLOW_EVENT, ObservedProperty
from eventschema.observed import plan_repository, repository
from eventschema.observed.inference import REQUIRED_PRESENCE, Counts, Declared, enum_of, infer_type, status
from eventschema.observed.schemas import DriftKind

DRIFT_ORDER: dict[DriftKind, int] = {
    "unplanned_event": 0,
    "unplanned_property": 1,
    "type_drift": 2,
    "missing_required": 3,
    "overflow": 4,
}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _property(row: ObservedProperty, event_count: int, declared: Declared | None) -> dict[str, Any]:
    counts = Counts.of(row)
    found, concerned = status(counts, event_count, declared)
    return {
        "name": row.property,
        "is_sdk": row.property.startswith("$"),
        "types": {
            "string": counts.string,
            "number": counts.numeric,
            "boolean": counts.boolean,
            "object": counts.object,
            "array": counts.array,
            "null": counts.null,
        },
        "string_looks": {
            "numeric": counts.numeric_strings,
            "boolean": counts.boolean_strings,
            "datetime": counts.datetime_strings,
        },
        "events": counts.events,
        "presence": _share(counts.events, event_count),
        "example": row.example,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "status": found,
        "declared_types": list(declared.types) if declared else [],
        "drift_share": _share(concerned, counts.values) if found == "type_drift" else None,
        "missing_share": _share(concerned, event_count) if found == "missing" else None,
    }


async def observed_properties(
    session: AsyncSession, project_id: int, definition_id: UUID, sdk: bool, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """The event's own properties (or with `sdk`, its `$` ones), most frequent first."""
    definition = await definitions.retrieve(session, project_id, definition_id)
    observed = await repository.event(session, project_id, definition.name)
    rows = list(await repository.properties(session, project_id, [definition.name]))
    rows = [row for row in rows if row.property.startswith("$") == sdk]
    rows.sort(key=lambda row: (-row.events, row.property))
    declared = (await plan_repository.declared(session, project_id, [definition.name])).get(definition.name, {})
    event_count = observed.events if observed else 0
    page = rows[offset : offset + limit]
    return len(rows), [_property(row, event_count, declared.get(row.property)) for row in page]


async def drift(session: AsyncSession, project_id: int) -> list[dict[str, Any]]:
    """Every drift of the project, worst first (see DRIFT_ORDER)."""
    observed = {row.event: row for row in await repository.events(session, project_id)}
    linked = await plan_repository.linked_events(session, project_id)
    # Only the plan of events both planned and observed is compared (none observed: nothing to read).
    compared = sorted(linked.intersection(observed))
    declared = await plan_repository.declared(session, project_id, compared) if compared else {}
    found: list[dict[str, Any]] = []

    def add(kind: DriftKind, event: str, prop: str | None, count: int, events: int, whole: int) -> None:
        share = _share(count, whole)
        found.append({"kind": kind, "event": event, "property": prop, "count": count, "events": events, "share": share})

    for name, row in observed.items():
        if name == OVERFLOW_EVENT:
            add("overflow", name, None, row.events, row.events, row.events)
            continue
        if name not in linked:
            add("unplanned_event", name, None, row.events, row.events, row.events)
        elif row.overflow:
            add("overflow", name, None, row.overflow, row.events, row.events)
    by_event: defaultdict[str, dict[str, ObservedProperty]] = defaultdict(dict)
    for prop in await repository.properties(session, project_id):
        by_event[prop.event][prop.property] = prop
    for name in sorted(linked.intersection(observed)):
        total = observed[name].events
        plan = declared.get(name, {})
        for prop_name, prop in by_event[name].items():
            counts = Counts.of(prop)
            kind, concerned = status(counts, total, plan.get(prop_name))
            if kind == "unplanned" and not prop_name.startswith("$"):
                add("unplanned_property", name, prop_name, concerned, total, total)
            elif kind == "type_drift":
                add("type_drift", name, prop_name, concerned, total, counts.values)
            elif kind == "missing":
                add("missing_required", name, prop_name, concerned, total, total)
        for prop_name, spec in plan.items():
            if spec.required and prop_name not in by_event[name]:
                add("missing_required", name, prop_name, total, total, total)
    found.sort(key=lambda item: (DRIFT_ORDER[item["kind"]], -item["count"], item["event"], item["property"] or ""))
    return found


async def propose(session: AsyncSession, project_id: int, definition_id: UUID) -> dict[str, Any]:
    """A property group draft for the event's own properties, as observed."""
    definition = await definitions.retrieve(session, project_id, definition_id)
    observed = await repository.event(session, project_id, definition.name)
    if observed is None:
        return {
            "name": f"{definition.name} (observed)"[:400],
            "description": "No events observed yet.",
            "properties": [],
        }
    values = await repository.values(session, project_id, definition.name)
    rows = list(await repository.properties(session, project_id, [definition.name]))
    properties = []
    for row in sorted(rows, key=lambda row: row.property):
        if row.property.startswith("$"):
            continue
        counts = Counts.of(row)
        property_type = infer_type(counts)
        proposed: dict[str, Any] = {
            "name": row.property,
            "property_type": property_type,
            "is_required": counts.events >= REQUIRED_PRESENCE * observed.events,
            "is_optional_in_types": False,
            "description": "",
        }
        enum = enum_of(property_type, counts, values.get(row.property))
        if enum is not None:
            proposed["validation_rules"] = {"enum": enum}
        properties.append(proposed)
    return {
        "name": f"{definition.name} (observed)"[:400],
        "description": f"Proposed from {observed.events} observed events.",
        "properties": properties,
    }


def page_of(items: Sequence[dict[str, Any]], limit: int, offset: int) -> list[dict[str, Any]]:
    return list(items[offset : offset + limit])
