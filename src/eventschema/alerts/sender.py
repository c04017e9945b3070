"""The alert task each server process runs: record the alerts owed, then post them, retrying with backoff.

Capture never waits for any of it: thresholds are read from the violation counters capture has committed. Each
alert is a row keyed by webhook, event and hour, so it is owed once however many processes notice the crossing;
a process claims due rows (on PostgreSQL skipping those another process holds) and puts them off while it posts,
so each is posted by one process at a time. A receiver that fails (no answer, an error, a status other than 2xx)
gets it again later: 1 s, 2 s, 4 s, ... up to `alert_max_backoff_seconds`, for a day.
"""

import asyncio
import logging
from datetime import datetime, timedelta

import httpx

from eventschema.alerts import repository, service
from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.models import utcnow
from eventschema.settings import Settings

logger = logging.getLogger("eventschema.alerts")

BATCH = 100
GIVE_UP_AFTER = timedelta(days=1)


class Alerts:
    def __init__(self, database: Database, settings: Settings) -> None:
        self._database = database
        self._settings = settings

    async def run(self) -> None:
        """Check and send every `alert_interval_seconds` until cancelled; a failed round is logged."""
        async with httpx.AsyncClient(timeout=self._settings.alert_timeout_seconds) as http:
            while True:
                try:
                    await self.tick(http)
                except Exception:
                    logger.exception("alert round failed")
                await asyncio.sleep(self._settings.alert_interval_seconds)

    async def tick(self, http: httpx.AsyncClient, now: datetime | None = None) -> int:
        """One round: record what is owed, post what is due; returns how many alerts were delivered."""
        now = now or utcnow()
        async with self._database.session(write=True) as session:
            await service.record_crossed(session, self._settings, current_hour(now), now)
            await session.commit()
        lease = now + timedelta(seconds=self._settings.alert_timeout_seconds * 2)
        async with self._database.session(write=True) as session:
            due = await repository.claim(session, now, current_hour(now) - GIVE_UP_AFTER, lease, BATCH)
            await session.commit()
        delivered = 0
        for row in due:
            error = await _post(http, row.url, row.payload)
            async with self._database.session(write=True) as session:
                if error is None:
                    await repository.settle(session, row, delivered_at=utcnow(), attempts=row.attempts + 1)
                    delivered += 1
                else:
                    attempts = row.attempts + 1
                    retry = now + service.backoff(self._settings, attempts)
                    await repository.settle(session, row, attempts=attempts, next_attempt_at=retry, last_error=error)
                    logger.warning("alert for %r not delivered (%s); retrying at %s", row.event, error, retry)
                await session.commit()
        return delivered


async def _post(http: httpx.AsyncClient, url: str, payload: dict[str, object]) -> str | None:
    """None once the receiver accepted it, else why not."""
    try:
        response = await http.post(url, json=payload)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"
