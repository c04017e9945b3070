"""The background task that drains the outbox to the upstream PostHog, in batches, retrying with backoff.

Events leave the outbox only when the upstream answered 2xx, so an outage or a restart delays them but loses
none; delivery is at least once (a crash between the upstream's answer and the delete sends a batch again).
Each process runs one forwarder; leases keep them from sending the same events.
"""

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import orjson

from eventschema.db import AnyRow, Database
from eventschema.models import utcnow
from eventschema.settings import Settings
from eventschema.upstream import repository

logger = logging.getLogger("eventschema.upstream")

IDLE_SECONDS = 0.5
FIRST_RETRY_SECONDS = 1.0


def capture_url(upstream_url: str) -> str:
    """A bare host (https://us.i.posthog.com) gets PostHog's batch endpoint; a URL with a path is used as is."""
    return upstream_url.rstrip("/") + "/batch/" if urlsplit(upstream_url).path in ("", "/") else upstream_url


def backoff_seconds(attempts: int, ceiling: float) -> float:
    """Exponential from one second, capped, with jitter so that processes do not retry in step."""
    return min(ceiling, FIRST_RETRY_SECONDS * 2.0 ** min(attempts - 1, 30)) * random.uniform(0.75, 1.0)


class Forwarder:
    def __init__(self, database: Database, settings: Settings) -> None:
        assert settings.upstream_url
        self._database = database
        self._settings = settings
        self._url = capture_url(settings.upstream_url)
        self._lease = timedelta(seconds=settings.upstream_timeout_seconds * 3)

    async def run(self) -> None:
        """Forward until cancelled; sleeps briefly whenever there is nothing due."""
        async with httpx.AsyncClient(timeout=self._settings.upstream_timeout_seconds) as http:
            while True:
                try:
                    forwarded = await self.forward_due(http)
                except Exception:
                    logger.exception("forwarding failed; retrying")
                    forwarded = 0
                if not forwarded:
                    await asyncio.sleep(IDLE_SECONDS)

    async def forward_due(self, http: httpx.AsyncClient) -> int:
        """Send one batch of due events; returns how many the upstream accepted."""
        now = utcnow()
        async with self._database.session(write=True) as session:
            rows = await repository.claim(session, now, now + self._lease, self._settings.upstream_batch_size)
            await session.commit()
        by_token: defaultdict[str, list[AnyRow]] = defaultdict(list)
        for row in rows:
            by_token[self._settings.upstream_api_key or row.token].append(row)
        sent: list[int] = []
        failed: list[AnyRow] = []
        for token, group in by_token.items():
            if await self._send(http, token, group):
                sent.extend(row.id for row in group)
            else:
                failed.extend(group)
        await self._settle(sent, failed)
        return len(sent)

    async def _send(self, http: httpx.AsyncClient, token: str, rows: Sequence[AnyRow]) -> bool:
        body = orjson.dumps({"api_key": token, "batch": [row.payload for row in rows]})
        try:
            response = await http.post(self._url, content=body, headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            logger.warning("upstream %s unreachable: %s", self._url, exc)
            return False
        if response.is_success:
            return True
        logger.warning("upstream %s answered %s", self._url, response.status_code)
        return False

    async def _settle(self, sent: list[int], failed: list[AnyRow]) -> None:
        if not sent and not failed:
            return
        async with self._database.session(write=True) as session:
            await repository.remove(session, sent)
            now = utcnow()
            # One statement per attempt count (events of one batch usually share it).
            by_attempts: defaultdict[int, list[int]] = defaultdict(list)
            for row in failed:
                by_attempts[row.attempts + 1].append(row.id)
            for attempts, ids in by_attempts.items():
                delay = backoff_seconds(attempts, self._settings.upstream_max_backoff_seconds)
                await repository.postpone(session, ids, attempts, now + timedelta(seconds=delay))
            await session.commit()
