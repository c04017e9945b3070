"""Alert webhooks of a project, and the alerts owed when an event's violations in an hour reach a threshold."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.alerts import repository
from eventschema.alerts.schemas import AlertWebhookCreate, AlertWebhookRead
from eventschema.models import AlertWebhook
from eventschema.settings import DEFAULT_PUBLIC_URL, Settings

TOP_REASONS = 5


def webhook_dict(webhook: AlertWebhook) -> dict[str, Any]:
    return AlertWebhookRead.model_validate(webhook, from_attributes=True).model_dump()


async def list_page(session: AsyncSession, project_id: int, limit: int, offset: int) -> tuple[int, Sequence[Any]]:
    return await repository.list_page(session, project_id, limit, offset)


async def create(session: AsyncSession, project_id: int, data: AlertWebhookCreate) -> AlertWebhook:
    webhook = AlertWebhook(project_id=project_id, url=data.url, threshold=data.threshold, event=data.event)
    await repository.add(session, webhook)
    return webhook


async def delete(session: AsyncSession, project_id: int, webhook_id: UUID) -> None:
    if not await repository.remove(session, project_id, webhook_id):
        raise errors.NotFound()


def event_url(settings: Settings, project_id: int, event: str) -> str:
    """The console's page for the event (found by its name; the console redirects to the event's page)."""
    base = (settings.public_url or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/projects/{project_id}/events/by_name/?name={quote(event, safe='')}"


def payload(settings: Settings, crossed: Any, hour: datetime, reasons: Sequence[Any]) -> dict[str, Any]:
    """What is posted: Slack's incoming webhooks read `text` (its link in Slack's <url|label> form) and ignore the
    rest, which says the same as data."""
    url = event_url(settings, crossed.project_id, crossed.event)
    by_reason: dict[str, int] = {}
    for row in reasons:
        by_reason[row.reason] = by_reason.get(row.reason, 0) + int(row.n)
    top = sorted(by_reason.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    listed = ", ".join(f"{reason} {count}" for reason, count in top)
    text = (
        f"Event '{crossed.event}' of project {crossed.project_id} has {crossed.violations} schema violations "
        f"since {hour:%Y-%m-%d %H:00} UTC (threshold {crossed.threshold}): {listed}. <{url}|Open the event>"
    )
    return {
        "text": text,
        "project_id": crossed.project_id,
        "event": crossed.event,
        "hour": hour.isoformat(),
        "violations": int(crossed.violations),
        "threshold": crossed.threshold,
        "top_reasons": [{"reason": reason, "count": count} for reason, count in top],
        "top_properties": [
            {"property": row.property, "reason": row.reason, "count": int(row.n)} for row in reasons[:TOP_REASONS]
        ],
        "url": url,
    }


async def record_crossed(session: AsyncSession, settings: Settings, hour: datetime, now: datetime) -> int:
    """Record an alert for each webhook and event whose threshold was crossed in `hour`; returns how many."""
    owed = []
    for crossed in await repository.crossed(session, hour):
        reasons = await repository.reasons(session, crossed.project_id, hour, crossed.event)
        owed.append(
            {
                "webhook_id": crossed.id,
                "event": crossed.event,
                "hour": hour,
                "payload": payload(settings, crossed, hour, reasons),
                "attempts": 0,
                "next_attempt_at": now,
            }
        )
    await repository.owe(session, owed)
    return len(owed)


def backoff(settings: Settings, attempts: int) -> timedelta:
    """1 s, 2 s, 4 s, ... up to `alert_max_backoff_seconds`."""
    return timedelta(seconds=min(2.0 ** min(attempts - 1, 30), settings.alert_max_backoff_seconds))
