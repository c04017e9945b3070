"""Rows the Violations, Quarantine and Live events page tests start from, written straight to the database:
hourly violation counters, quarantined events and event log entries."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.models import EventDefinition, EventLogEntry, QuarantinedEvent, ViolationCount, utcnow


async def definitions(database: Database, project_id: int, names: list[str]) -> None:
    async with database.session(write=True) as session:
        await session.execute(insert(EventDefinition), [{"project_id": project_id, "name": name} for name in names])
        await session.commit()


async def violations(database: Database, project_id: int, counts: list[tuple[str, str, str, int, int]]) -> None:
    """(event, property, reason, count, hours ago) per counter."""
    now = current_hour(utcnow())
    async with database.session(write=True) as session:
        await session.execute(
            insert(ViolationCount),
            [
                {
                    "project_id": project_id,
                    "hour": now - timedelta(hours=hours_ago),
                    "event": event,
                    "property": prop,
                    "reason": reason,
                    "count": n,
                }
                for event, prop, reason, n, hours_ago in counts
            ],
        )
        await session.commit()


async def quarantined(database: Database, project_id: int, events: list[dict[str, Any]]) -> None:
    """Each: event, and optionally distinct_id, properties, reasons (comma-separated), violations, received_at."""
    now = utcnow()
    async with database.session(write=True) as session:
        await session.execute(
            insert(QuarantinedEvent),
            [
                {
                    "project_id": project_id,
                    "event": item["event"],
                    "distinct_id": item.get("distinct_id", "someone"),
                    "properties": item.get("properties", {}),
                    "fields": item.get("fields", {}),
                    "reasons": item.get("reasons", "type_mismatch"),
                    "violations": item.get(
                        "violations", [{"property": "plan", "reason": item.get("reasons", "type_mismatch")}]
                    ),
                    "received_at": item.get("received_at", now),
                }
                for item in events
            ],
        )
        await session.commit()


async def logged(database: Database, project_id: int, events: list[tuple[str, str, dict[str, Any], datetime]]) -> None:
    """(event, distinct_id, properties, received_at) per log entry."""
    async with database.session(write=True) as session:
        await session.execute(
            insert(EventLogEntry),
            [
                {
                    "project_id": project_id,
                    "event": event,
                    "distinct_id": distinct_id,
                    "properties": properties,
                    "timestamp": received_at,
                    "received_at": received_at,
                }
                for event, distinct_id, properties, received_at in events
            ],
        )
        await session.commit()
