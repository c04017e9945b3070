"""Announcing that a project's schemas (or its project API key) changed, to every cache that depends on them.

Writers call `schema_changed` or `token_changed` inside their transaction. Caches of this process drop the
project as soon as that transaction commits (never before: a reload could otherwise read the old rows again);
other processes hear of it through PostgreSQL's NOTIFY, which PostgreSQL also delivers only on commit (see
`listener`). On SQLite, caches compare the schema version instead, which `schema_changed` bumps.
"""

import weakref
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from eventschema.enforcement import repository

_PENDING = "eventschema_changed_projects"


class ProjectCache(Protocol):
    def invalidate(self, project_id: int) -> None: ...


_caches: "weakref.WeakSet[ProjectCache]" = weakref.WeakSet()


def subscribe(cache: ProjectCache) -> None:
    """Have `cache` dropped a project whenever a change to it commits in this process or is announced."""
    _caches.add(cache)


def broadcast(project_id: int) -> None:
    # Caches of every app in the process hear it; dropping an entry another database owns only costs a reload.
    for cache in list(_caches):
        cache.invalidate(project_id)


async def schema_changed(session: AsyncSession, project_id: int) -> None:
    """Record a change to how the project's events are checked: bump its schema version and announce it."""
    await repository.bump_schema_version(session, project_id)
    await _announce(session, project_id)


async def token_changed(session: AsyncSession, project_id: int) -> None:
    """Announce a change that leaves the schema version alone (a new project API key)."""
    await _announce(session, project_id)


async def _announce(session: AsyncSession, project_id: int) -> None:
    await repository.notify(session, project_id)
    session.info.setdefault(_PENDING, set()).add(project_id)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for project_id in session.info.pop(_PENDING, ()):
        broadcast(project_id)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
