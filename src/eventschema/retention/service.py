"""Retention: what is deleted, and when.

- Hourly violation counters (the violation history) are kept `EVENTSCHEMA_VIOLATION_HISTORY_DAYS` (30 by
  default), and so are the alerts sent for them.
- Schema changes older than `CHANGES_KEPT` are deleted, except each project's latest (its schema version); so are
  credential changes, except the latest (the credentials revision).
- Event log entries and quarantined events are kept for ever unless `EVENTSCHEMA_EVENT_LOG_RETENTION_DAYS` or
  `EVENTSCHEMA_QUARANTINE_RETENTION_DAYS` is set (quarantined events are what a developer replays, so the default
  keeps them all).

Every server process prunes every `EVENTSCHEMA_RETENTION_INTERVAL_SECONDS`, in short transactions of at most
`repository.CHUNK` rows; several processes doing it at once only repeat each other's (idempotent) deletes.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.alerts import repository as alerts_repository
from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.models import utcnow
from eventschema.retention import repository
from eventschema.settings import Settings

logger = logging.getLogger("eventschema.retention")

CHANGES_KEPT = timedelta(days=1)

Deleter = Callable[[AsyncSession, int, datetime], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Pruned:
    events: int = 0
    quarantined: int = 0
    counters: int = 0
    changes: int = 0
    credential_changes: int = 0


async def prune(database: Database, settings: Settings, now: datetime | None = None) -> Pruned:
    """Delete what is past its retention, as of `now`; returns how many rows of each kind went."""
    now = now or utcnow()
    async with database.session(write=False) as session:
        projects = await repository.project_ids(session)
    counters_before = current_hour(now) - timedelta(days=settings.violation_history_days)
    events = quarantined = counters = changes = 0
    for project_id in projects:
        counters += await _delete_all(database, repository.delete_old_counters, project_id, counters_before)
        changes += await _delete_all(database, repository.delete_old_changes, project_id, now - CHANGES_KEPT)
        if settings.event_log_retention_days is not None:
            before = now - timedelta(days=settings.event_log_retention_days)
            events += await _delete_all(database, repository.delete_old_events, project_id, before)
        if settings.quarantine_retention_days is not None:
            before = now - timedelta(days=settings.quarantine_retention_days)
            quarantined += await _delete_all(database, repository.delete_old_quarantined, project_id, before)
    credential_changes = await _delete_all(
        database,
        lambda session, _project, before: repository.delete_old_credential_changes(session, before),
        0,
        now - CHANGES_KEPT,
    )
    async with database.session(write=True) as session:
        await alerts_repository.delete_old(session, counters_before)
        await session.commit()
    return Pruned(events, quarantined, counters, changes, credential_changes)


async def _delete_old_credential_changes(session: AsyncSession, _project_id: int, before: datetime) -> int:
    return await repository.delete_old_credential_changes(session, before)  # not a project's: one for all


async def _delete_all(database: Database, deleter: Deleter, project_id: int, before: datetime) -> int:
    """Chunk after chunk, each in its own transaction, until a chunk comes back short."""
    total = 0
    while True:
        async with database.session(write=True) as session:
            deleted = await deleter(session, project_id, before)
            await session.commit()
        total += deleted
        if deleted < repository.CHUNK:
            return total


async def run(database: Database, settings: Settings) -> None:
    """Prune every interval (the first time one interval after start-up), until cancelled; a failed round is
    logged and tried again next time."""
    while True:
        await asyncio.sleep(settings.retention_interval_seconds)
        try:
            pruned = await prune(database, settings)
        except Exception:
            logger.exception("pruning old rows failed; trying again in %s s", settings.retention_interval_seconds)
        else:
            if pruned != Pruned():
                logger.info(
                    "pruned %d event log entries, %d quarantined events, %d violation counters, %d schema changes, "
                    "%d credential changes",
                    pruned.events,
                    pruned.quarantined,
                    pruned.counters,
                    pruned.changes,
                    pruned.credential_changes,
                )
