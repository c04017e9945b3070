"""The validate API's rules, and the violation counts of the last day."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.enforcement import repository
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.schemas import EventToValidate
from eventschema.models import utcnow

COUNTED_HOURS = 24


async def validate(
    session: AsyncSession, plans: PlanCache, project_id: int, events: Sequence[EventToValidate]
) -> list[dict[str, Any]]:
    """A verdict per event in input order, checked against the linked groups whatever the enforcement mode."""
    plan = await plans.get(session, project_id)
    results: list[dict[str, Any]] = []
    for item in events:
        action, violations = plan.explain(item.event, item.properties or {})
        results.append(
            {
                "event": item.event,
                "valid": not violations,
                "action": action,
                "violations": [violation.to_dict() for violation in violations],
            }
        )
    return results


def current_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


async def violation_counts(
    session: AsyncSession, project_id: int, event: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Counts are kept per hour: "the last 24 hours" are the current hour and the 23 before it."""
    since = current_hour(utcnow()) - timedelta(hours=COUNTED_HOURS - 1)
    total, rows = await repository.violation_counts(session, project_id, since, event, limit, offset)
    return total, [
        {"event": row.event, "property": row.property, "reason": row.reason, "count": int(row.occurrences)}
        for row in rows
    ]
