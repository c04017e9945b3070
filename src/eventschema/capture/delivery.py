"""Where accepted events go: to the outbox when an upstream PostHog is configured, else to the event log.

Either way they are written in the caller's transaction, so an event is acknowledged only once it is stored, and
an event whose uuid is already there (sent again) is not written twice.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture.triage import Accepted
from eventschema.events import repository as events_repository
from eventschema.settings import Settings
from eventschema.upstream import repository as outbox_repository


class Delivery(NamedTuple):
    """Events of one project received together, with the project API key they came with."""

    project_id: int
    token: str
    received_at: datetime
    accepted: Sequence[Accepted]


async def deliver(session: AsyncSession, settings: Settings, deliveries: Sequence[Delivery]) -> None:
    if settings.upstream_url:
        outbox = [(d.project_id, d.token, event.uuid, event.raw) for d in deliveries for event in d.accepted]
        await outbox_repository.enqueue(session, outbox)
        return
    log = [
        (d.project_id, event.uuid, event.event, event.distinct_id, event.properties, event.timestamp, d.received_at)
        for d in deliveries
        for event in d.accepted
    ]
    await events_repository.append(session, log)
