"""The validate API's rules, the violation counts of the last day, and the violation history."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.enforcement import repository
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.schemas import EventToValidate
from eventschema.models import utcnow

COUNTED_HOURS = 24


async def validate(
    session: AsyncSession,
    plans: PlanCache,
    project_id: int,
    events: Sequence[EventToValidate],
    version: int | None = None,
) -> list[dict[str, Any]]:
    """A verdict per event in input order, checked against the linked groups whatever the enforcement mode.
    `version`: the project's schema version as the request read it, if it did."""
    plan = await plans.get(session, project_id, version)
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


Interval = Literal["hour", "day"]
# What `since` defaults to, before `until`, per interval.
DEFAULT_SPAN: dict[str, timedelta] = {"hour": timedelta(days=1), "day": timedelta(days=30)}


def bucket_start(hour: datetime, interval: str) -> datetime:
    return hour if interval == "hour" else hour.replace(hour=0)


def history_range(
    since: datetime | None, until: datetime | None, interval: str | None, now: datetime
) -> tuple[datetime, datetime, Interval]:
    """The whole buckets [since, until) a history covers (none when since is not before until); until defaults to
    the end of the current hour."""
    if interval not in (None, "hour", "day"):
        raise errors.ValidationError('"interval" must be "hour" or "day".', code="invalid_choice", attr="interval")
    chosen: Interval = "day" if interval == "day" else "hour"
    end = until or current_hour(now) + timedelta(hours=1)
    start = bucket_start(current_hour(since or end - DEFAULT_SPAN[chosen]), chosen)
    return start, end, chosen


async def violation_history(
    session: AsyncSession,
    project_id: int,
    event: str | None,
    since: datetime,
    until: datetime,
    interval: Interval,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Per event and property, the violations in each bucket (only buckets with some), most violations first."""
    total, page, rows = await repository.violation_history(session, project_id, since, until, event, limit, offset)
    buckets: dict[tuple[str, str], dict[datetime, int]] = {}
    reasons: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row.event, row.property)
        start = bucket_start(row.hour, interval)
        counts = buckets.setdefault(key, {})
        counts[start] = counts.get(start, 0) + int(row.n)
        by_reason = reasons.setdefault(key, {})
        by_reason[row.reason] = by_reason.get(row.reason, 0) + int(row.n)
    results = []
    for item in page:
        key = (item.event, item.property)
        results.append(
            {
                "event": item.event,
                "property": item.property,
                "count": int(item.occurrences),
                "reasons": dict(sorted(reasons.get(key, {}).items(), key=lambda pair: (-pair[1], pair[0]))),
                "buckets": [{"start": start, "count": n} for start, n in sorted(buckets.get(key, {}).items())],
            }
        )
    return total, results
