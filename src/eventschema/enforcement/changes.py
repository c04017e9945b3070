"""Announcing that a project's schemas (or its project API key) changed, to every cache that depends on them.

Writers call `schema_changed` or `token_changed` inside their transaction. `schema_changed` appends a row to
`schema_changes`, whose id becomes the project's schema version; caches that cannot hear announcements (SQLite,
or a listener reconnecting) compare versions instead.

Caches of this process drop the project as soon as the transaction commits (never before: a reload could
otherwise read the old rows again). Other processes hear of it through PostgreSQL's NOTIFY:
- in a process whose schema listener is connected, the listener sends it right after the commit, outside the
  writer's transaction. A NOTIFY inside it would hold PostgreSQL's notification lock until the commit reached
  the disk, so every schema write of the whole database would commit one after another;
- elsewhere (a CLI command, a process whose listener is reconnecting) the NOTIFY goes inside the transaction.
A notification sent after the commit can be lost if the process dies in between: listeners therefore also
compare the versions of the plans they hold every few seconds (see `listener`), which bounds how long such a
loss can leave them stale.
"""

import weakref
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from eventschema.enforcement import repository

_PENDING = "eventschema_changes_to_hear"
_DEFERRED = "eventschema_changes_to_announce"
# Notification payloads: "<project id>" for a schema change, "<project id>:credentials" for a change to a project's
# API key, "credentials" for a change to personal API keys (who may do what).
CREDENTIALS = "credentials"


class ProjectCache(Protocol):
    def invalidate(self, project_id: int) -> None: ...


@runtime_checkable
class VersionedCache(Protocol):
    def invalidate(self, project_id: int) -> None: ...

    def versions(self) -> dict[int, int]: ...


class CredentialsCache(Protocol):
    def forget_credentials(self) -> None: ...


class Publisher(Protocol):
    """Sends notifications of changes committed to one database to the other processes using it."""

    def publish(self, payloads: Iterable[str]) -> None: ...


_caches: "weakref.WeakSet[ProjectCache]" = weakref.WeakSet()
_credentials_caches: "weakref.WeakSet[CredentialsCache]" = weakref.WeakSet()
# Each publisher with the database (its URL) it notifies.
_publishers: "weakref.WeakKeyDictionary[Publisher, str]" = weakref.WeakKeyDictionary()


def subscribe(cache: ProjectCache) -> None:
    """Have `cache` dropped a project whenever a change to it (its schemas or its API key) commits in this process
    or is announced."""
    _caches.add(cache)


def subscribe_credentials(cache: CredentialsCache) -> None:
    """Have `cache` forget every credential it holds whenever a project API key or a personal API key changes."""
    _credentials_caches.add(cache)


def add_publisher(publisher: Publisher, database_url: str) -> None:
    """From now on, notifications of this process's commits to that database are sent by `publisher` after
    each commit."""
    _publishers[publisher] = database_url


def remove_publisher(publisher: Publisher) -> None:
    _publishers.pop(publisher, None)


def _publishers_of(session: Session | AsyncSession) -> list[Publisher]:
    url = str(session.get_bind().engine.url)
    return [publisher for publisher, database_url in list(_publishers.items()) if database_url == url]


def cached_versions() -> list[dict[int, int]]:
    """For each cache that keeps what it read with a schema version: that version, by project."""
    return [cache.versions() for cache in list(_caches) if isinstance(cache, VersionedCache)]


def broadcast(project_id: int) -> None:
    # Caches of every app in the process hear it; dropping an entry another database owns only costs a reload.
    for cache in list(_caches):
        cache.invalidate(project_id)


def deliver(payload: str) -> None:
    """Act on a change announced as `payload`; raises ValueError for a payload that names no change."""
    project, _, kind = payload.partition(":")
    if project == CREDENTIALS and not kind:
        project, kind = "", CREDENTIALS
    if kind not in ("", CREDENTIALS):
        raise ValueError(payload)
    if project:
        broadcast(int(project))
    if kind == CREDENTIALS:
        for cache in list(_credentials_caches):
            cache.forget_credentials()


async def schema_changed(session: AsyncSession, project_id: int, *, recorded: bool = False) -> None:
    """Record a change to how the project's events are checked (a new schema version) and announce it.

    `recorded`: the caller's own statement already appended the `schema_changes` row (to save a round trip).
    """
    if not recorded:
        await repository.record_change(session, project_id)
    await _announce(session, str(project_id))


async def token_changed(session: AsyncSession, project_id: int) -> None:
    """Record and announce a new project API key (the schema version stays)."""
    await repository.record_credentials_change(session)
    await _announce(session, f"{project_id}:{CREDENTIALS}")


async def access_changed(session: AsyncSession) -> None:
    """Record a change to what personal API keys may do (a new credentials revision), so that no server uses
    what it remembers of them once it commits, and announce it so that they free that memory."""
    await repository.record_credentials_change(session)
    await _announce(session, CREDENTIALS)


async def _announce(session: AsyncSession, payload: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        if _publishers_of(session):
            session.info.setdefault(_DEFERRED, set()).add(payload)
        else:
            await repository.notify(session, payload)
    session.info.setdefault(_PENDING, set()).add(payload)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for payload in session.info.pop(_PENDING, ()):
        deliver(payload)
    deferred = session.info.pop(_DEFERRED, None)
    if deferred:
        for publisher in _publishers_of(session):
            publisher.publish(deferred)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_DEFERRED, None)
