"""Listing, replaying and deleting quarantined events.

A replay checks each event again against the project's current schemas: those that pass now (or whose
definition no longer rejects them) are forwarded as the gateway would and leave the quarantine; the others
stay, with their violations brought up to date. An event the upstream refused (`upstream_rejected`) is forwarded
again unless its definition now rejects it. An `invalid_event` always stays: what is kept of it is a repaired
copy, not what the client sent, so it is there to be inspected and deleted, never forwarded.

Rows stored before the depth limit may nest deeper than a page can render; `renderable` cuts them down.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.capture import storable
from eventschema.capture.delivery import Delivery, deliver
from eventschema.capture.triage import VIOLATIONS_KEY, Accepted, reasons, timed
from eventschema.capture.uuids import event_uuid
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.plan import MARK, QUARANTINE
from eventschema.models import QuarantinedEvent, utcnow
from eventschema.quarantine import repository
from eventschema.quarantine.repository import Filters
from eventschema.settings import Settings

MAX_REPLAY = 10_000


def event_dict(row: QuarantinedEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "uuid": row.uuid,
        "event": row.event,
        "distinct_id": row.distinct_id,
        "properties": row.properties,
        "violations": row.violations,
        "reasons": row.reasons.split(",") if row.reasons else [],
        "received_at": row.received_at,
    }


def renderable(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "properties": storable.truncate(item["properties"])}


async def list_page(
    session: AsyncSession, project_id: int, filters: Filters, limit: int, offset: int
) -> tuple[int, Sequence[QuarantinedEvent]]:
    return await repository.page(session, project_id, filters, limit, offset)


async def retrieve(session: AsyncSession, project_id: int, event_id: UUID) -> QuarantinedEvent:
    row = await repository.get(session, project_id, event_id)
    if row is None:
        raise errors.NotFound()
    return row


async def delete(session: AsyncSession, project_id: int, event_id: UUID) -> None:
    row = await retrieve(session, project_id, event_id)
    await repository.remove(session, [row.id])


async def replay(
    session: AsyncSession, plans: PlanCache, settings: Settings, project_id: int, token: str, filters: Filters
) -> dict[str, int]:
    """Replays the oldest MAX_REPLAY matching events; call again for more."""
    rows = await repository.oldest(session, project_id, filters, MAX_REPLAY)
    plan = await plans.get(session, project_id)
    now = utcnow()
    accepted: list[Accepted] = []
    forwarded: list[UUID] = []
    for row in rows:
        if storable.INVALID_EVENT in row.reasons:
            continue
        properties = dict(row.properties)
        properties.pop(VIOLATIONS_KEY, None)
        action, violations = plan.check(row.event, properties)
        records = [violation.to_dict() for violation in violations]
        if action == QUARANTINE:
            if records != row.violations:
                await repository.set_violations(session, row.id, records, reasons(violations))
            continue
        if action == MARK:
            properties[VIOLATIONS_KEY] = records
        raw = {**row.fields, "event": row.event, "distinct_id": row.distinct_id, "properties": properties}
        # Rows quarantined before uuids were kept have none.
        uuid = str(row.uuid) if row.uuid is not None else event_uuid(raw)
        accepted.append(
            Accepted(row.event, row.distinct_id, properties, timed(raw, properties, row.received_at), raw, uuid)
        )
        forwarded.append(row.id)
    await deliver(session, settings, [Delivery(project_id, token, now, accepted)])
    await repository.remove(session, forwarded)
    return {"forwarded": len(forwarded), "still_quarantined": len(rows) - len(forwarded)}
