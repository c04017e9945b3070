"""The background task that drains the outbox to the upstream PostHog, in batches, retrying with backoff.

Events leave the outbox when the upstream accepted them (2xx), or when it refused them for good (a 4xx but
408, 429 and those that blame the settings, see `answers`): a refused batch is searched for the events at fault
(`search`), the others are delivered, and each event refused on its own moves to the quarantine (reason
`upstream_rejected`, with the upstream's answer) in the transaction that deletes it from the outbox. Answers
that say "later" (5xx, 408, 429, no connection) leave the events in the outbox for a retry, after an
exponential backoff or the upstream's Retry-After if longer. An outage or a restart delays events but loses
none; delivery is at least once (a crash between the upstream's answer and the delete sends a batch again).
Each process runs one forwarder; leases keep them from sending the same events.
"""

import asyncio
import logging
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

import httpx
import orjson

from eventschema.db import AnyRow, Database
from eventschema.models import utcnow
from eventschema.quarantine import repository as quarantine_repository
from eventschema.settings import Settings
from eventschema.upstream import repository
from eventschema.upstream.answers import DELIVERED, MAX_DETAIL_BYTES, REASON, RETRY, Answer, judge, quarantined
from eventschema.upstream.search import Search

logger = logging.getLogger("eventschema.upstream")

IDLE_SECONDS = 0.5
FIRST_RETRY_SECONDS = 1.0


def capture_url(upstream_url: str) -> str:
    """A bare host (https://us.i.posthog.com) gets PostHog's batch endpoint; a URL with a path is used as is."""
    return upstream_url.rstrip("/") + "/batch/" if urlsplit(upstream_url).path in ("", "/") else upstream_url


def backoff_seconds(attempts: int, ceiling: float) -> float:
    """Exponential from one second, capped, with jitter so that processes do not retry in step."""
    return min(ceiling, FIRST_RETRY_SECONDS * 2.0 ** min(attempts - 1, 30)) * random.uniform(0.75, 1.0)


def retry_delay(attempts: int, retry_after: float | None, ceiling: float) -> float:
    """The backoff, or what the upstream asked for if that is longer; never more than the ceiling."""
    return min(ceiling, max(backoff_seconds(attempts, ceiling), retry_after or 0.0))


@dataclass(slots=True)
class Lease:
    ids: list[int]
    until: datetime


@dataclass(slots=True)
class Outcome:
    """What became of a claimed batch, settled in one transaction."""

    delivered: list[int] = field(default_factory=list)
    refused: list[tuple[AnyRow, Answer]] = field(default_factory=list)
    later: list[tuple[Sequence[AnyRow], Answer | None]] = field(default_factory=list)


class Forwarder:
    def __init__(self, database: Database, settings: Settings) -> None:
        assert settings.upstream_url
        self._database = database
        self._settings = settings
        self._url = capture_url(settings.upstream_url)
        self._lease = timedelta(seconds=settings.upstream_timeout_seconds * 3)
        # A search sends a batch several times; the lease is extended when less than this is left of it.
        self._lease_margin = timedelta(seconds=settings.upstream_timeout_seconds * 2)

    async def run(self) -> None:
        """Forward until cancelled; sleeps briefly whenever there is nothing due."""
        async with httpx.AsyncClient(timeout=self._settings.upstream_timeout_seconds) as http:
            while True:
                try:
                    settled = await self.forward_due(http)
                except Exception:
                    logger.exception("forwarding failed; retrying")
                    settled = 0
                if not settled:
                    await asyncio.sleep(IDLE_SECONDS)

    async def forward_due(self, http: httpx.AsyncClient) -> int:
        """Send one batch of due events; returns how many left the outbox (delivered or quarantined)."""
        now = utcnow()
        async with self._database.session(write=True) as session:
            rows = await repository.claim(session, now, now + self._lease, self._settings.upstream_batch_size)
            await session.commit()
        if not rows:
            return 0
        lease = Lease([row.id for row in rows], now + self._lease)
        by_token: defaultdict[str, list[AnyRow]] = defaultdict(list)
        for row in rows:
            by_token[self._settings.upstream_api_key or row.token].append(row)
        outcome = Outcome()
        for token, group in by_token.items():
            send = partial(self._send, http, token, lease)
            answer = await send(group)
            if answer.kind == DELIVERED:
                outcome.delivered.extend(row.id for row in group)
            elif answer.kind == RETRY:
                outcome.later.append((group, answer))
            else:
                search: Search[AnyRow] = Search(send)
                await search.isolate(group, answer)
                outcome.delivered.extend(row.id for row in search.delivered)
                outcome.refused.extend(search.refused)
                if search.left:
                    outcome.later.append((search.left, search.stopped))
        return await self._settle(outcome, lease)

    async def _send(self, http: httpx.AsyncClient, token: str, lease: Lease, rows: Sequence[AnyRow]) -> Answer:
        await self._keep(lease)
        body = orjson.dumps({"api_key": token, "batch": [row.payload for row in rows]})
        try:
            async with http.stream(
                "POST", self._url, content=body, headers={"Content-Type": "application/json"}
            ) as response:
                head = b"" if response.is_success else await _head(response)
        except httpx.HTTPError as exc:
            logger.warning("upstream %s unreachable: %s", self._url, exc)
            return Answer(RETRY, detail=str(exc))
        answer = judge(response.status_code, response.headers.get("Retry-After"), head)
        if answer.kind == RETRY:
            logger.warning("upstream %s answered %s", self._url, response.status_code)
        return answer

    async def _keep(self, lease: Lease) -> None:
        now = utcnow()
        if lease.until - now >= self._lease_margin:
            return
        until = now + self._lease
        async with self._database.session(write=True) as session:
            await repository.extend(session, lease.ids, lease.until, until)
            await session.commit()
        lease.until = until

    async def _settle(self, outcome: Outcome, lease: Lease) -> int:
        now = utcnow()
        async with self._database.session(write=True) as session:
            await repository.remove(session, outcome.delivered)
            taken = await repository.take(session, [row.id for row, _ in outcome.refused], lease.until)
            refused = [(row, answer) for row, answer in outcome.refused if row.id in taken]
            await quarantine_repository.add(
                session, [(row.project_id, now, quarantined(row.payload, answer)) for row, answer in refused]
            )
            # One statement per retry time asked for and attempt count (events of one batch usually share them).
            later: defaultdict[tuple[int, float | None], list[int]] = defaultdict(list)
            for rows, answer in outcome.later:
                for row in rows:
                    later[row.attempts + 1, answer.retry_after if answer else None].append(row.id)
            for (attempts, retry_after), ids in later.items():
                delay = retry_delay(attempts, retry_after, self._settings.upstream_max_backoff_seconds)
                await repository.postpone(session, ids, attempts, now + timedelta(seconds=delay))
            await session.commit()
        _log_refusals(refused)
        return len(outcome.delivered) + len(refused)


async def _head(response: httpx.Response) -> bytes:
    """The first bytes of a refusal's body: what is kept of it, without reading a large one whole."""
    head = b""
    async for chunk in response.aiter_bytes():
        head += chunk
        if len(head) >= MAX_DETAIL_BYTES:
            break
    return head


def _log_refusals(refused: Sequence[tuple[AnyRow, Answer]]) -> None:
    by_project: defaultdict[int, Counter[int | None]] = defaultdict(Counter)
    for row, answer in refused:
        by_project[row.project_id][answer.status] += 1
    for project_id, statuses in by_project.items():
        count = statuses.total()
        answered = ", ".join(f"{status} x{n}" if len(statuses) > 1 else str(status) for status, n in statuses.items())
        logger.warning(
            "upstream rejected %d event%s of project %d (HTTP %s); quarantined with reason %s",
            count,
            "" if count == 1 else "s",
            project_id,
            answered,
            REASON,
        )
