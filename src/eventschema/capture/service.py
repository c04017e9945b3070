"""Ingesting one capture request: find the project, check each event, hand its writes to the committer.

What each process keeps between requests lives in `Gateway`. With warm caches a request reads only the
credentials revision and its project's schema version, in one statement shared by the requests waiting together
(`caching.revisions`), and uses the kept project key and compiled plan if they are still current, without opening
a database session. Its writes are committed together with those of concurrent requests (see `committer`), and it
is answered once they are. Its events (accepted or quarantined) are counted in memory for the observed-traffic
reports (`observed.observer`) as soon as they are checked, before the commit, while they are still in the
processor's cache (after the commit wait, other requests have been decoded over them); a request whose commit
fails is counted all the same.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.caching import share
from eventschema.caching.revisions import Revisions, Snapshot
from eventschema.capture.caches import SeenEvents, TokenCache
from eventschema.capture.committer import Committer
from eventschema.capture.decoding import Payload
from eventschema.capture.storage import UnknownProject, Work
from eventschema.capture.triage import Rejected, Triage, triage
from eventschema.db import Database
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.plan import ProjectPlan
from eventschema.models import utcnow
from eventschema.observed.observer import Observer
from eventschema.settings import Settings

_WHERE = "The project API key (api_token) is shown by `eventschema projects list` and `GET /api/projects/:id/`."
MISSING_TOKEN = f"API key not provided. {_WHERE}"
INVALID_TOKEN = f"Project API key invalid. {_WHERE}"

logger = logging.getLogger("eventschema.capture")
MAX_LOGGED_NAMES = 10


@dataclass
class Gateway:
    settings: Settings
    plans: PlanCache
    revisions: Revisions
    tokens: TokenCache = field(init=False)
    seen: SeenEvents = field(init=False)
    committer: Committer = field(init=False)
    observer: Observer = field(init=False)

    def __post_init__(self) -> None:
        capture_bytes = share(self.settings.cache_max_bytes, "capture")
        self.tokens = TokenCache(capture_bytes // 2)
        self.seen = SeenEvents(capture_bytes // 2)
        self.committer = Committer(self.settings)
        self.observer = Observer(self.settings)

    async def close(self) -> None:
        await self.committer.close()
        await self.observer.close()
        await self.revisions.close()


async def project_for(
    session: AsyncSession, gateway: Gateway, token: str, snapshot: Snapshot | None = None
) -> tuple[int | None, Snapshot]:
    """The project of a project API key, and revisions read before it that include its schema version.

    `snapshot` is a revisions read already made for this request, if there is one."""
    if snapshot is None:
        snapshot = await gateway.revisions.read(gateway.tokens.peek(token))
    project_id = await gateway.tokens.project_for(session, token, snapshot.credentials)
    if project_id is not None and project_id not in snapshot.versions:
        snapshot = await gateway.revisions.read(project_id)  # a new or another key: its project's version too
    return project_id, snapshot


async def _kept(gateway: Gateway, token: str) -> tuple[int | None, ProjectPlan | None, Snapshot]:
    """The key's project and plan when both are kept and current at a revisions read made for this request (the
    usual case, answered without a database session), and that read."""
    snapshot = await gateway.revisions.read(gateway.tokens.peek(token))
    project_id = gateway.tokens.kept(token, snapshot.credentials)
    if project_id is None or project_id not in snapshot.versions:
        return None, None, snapshot
    return project_id, gateway.plans.kept(project_id, snapshot.versions[project_id]), snapshot


async def ingest(database: Database, gateway: Gateway, payload: Payload) -> Triage:
    """Store the payload's events; returns how they were sorted (the v1 route answers per event)."""
    if payload.token is None:
        raise errors.NotAuthenticated(MISSING_TOKEN, code="missing_api_key")
    if "\x00" in payload.token:
        # No key holds one, and PostgreSQL would refuse to look it up.
        raise errors.AuthenticationFailed(INVALID_TOKEN, code="invalid_api_key")
    project_id, plan, snapshot = await _kept(gateway, payload.token)
    if plan is None:
        async with database.session(write=False) as session:
            project_id, snapshot = await project_for(session, gateway, payload.token, snapshot)
            if project_id is None:
                raise errors.AuthenticationFailed(INVALID_TOKEN, code="invalid_api_key")
            try:
                plan = await gateway.plans.get(session, project_id, snapshot.version(project_id))
            except errors.NotFound:
                raise _project_gone(gateway, project_id) from None
    assert project_id is not None
    received_at = utcnow()
    result = triage(plan, payload.events, received_at, check_nul=payload.may_hold_nul)
    due = gateway.seen.due(project_id, result.names)
    gateway.observer.observe(database, project_id, received_at, _observed(result))
    try:
        await gateway.committer.submit(database, Work(project_id, payload.token, received_at, result, due))
    except UnknownProject:
        raise _project_gone(gateway, project_id) from None
    if result.rejected:
        _log_quarantined(project_id, result.rejected)
    return result


_NAME_AND_PROPERTIES = attrgetter("event", "properties")


def _observed(result: Triage) -> list[tuple[str, dict[str, Any]]]:
    """(name, properties) of each event, accepted or quarantined; built in C."""
    return list(map(_NAME_AND_PROPERTIES, chain(result.accepted, result.rejected)))


def _log_quarantined(project_id: int, rejected: Sequence[Rejected]) -> None:
    """One line per request, however many of its events were quarantined."""
    names = Counter(item.event for item in rejected)
    causes = Counter(reason for item in rejected for reason in item.reasons.split(","))
    shown = sorted(names.items())
    listed = ", ".join(f"{name} {count}" for name, count in shown[:MAX_LOGGED_NAMES])
    if len(shown) > MAX_LOGGED_NAMES:
        listed += f", and {len(shown) - MAX_LOGGED_NAMES} more"
    logger.info(
        "quarantined %d events of project %d: %s; reasons: %s",
        len(rejected),
        project_id,
        listed,
        ", ".join(f"{reason} {count}" for reason, count in sorted(causes.items())),
    )


def _project_gone(gateway: Gateway, project_id: int) -> errors.APIError:
    """The project was deleted since its key was looked up (and cached): the key is no longer valid."""
    gateway.tokens.invalidate(project_id)
    return errors.AuthenticationFailed(INVALID_TOKEN, code="invalid_api_key")
