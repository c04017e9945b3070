"""What each process remembers between capture requests: project API keys, and when it last saw each event."""

import time
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture import repository
from eventschema.enforcement import changes

TOKEN_TTL_SECONDS = 60.0
SEEN_INTERVAL_SECONDS = 60.0
MAX_ENTRIES = 100_000


class TokenCache:
    """Project API key -> project id. A rotated key stops working at once in this process (and, on PostgreSQL,
    in every other one); entries also expire, which bounds how long another process on SQLite accepts it.

    As in the plan cache, a lookup that overlaps an invalidation does not store what it read.
    """

    def __init__(self) -> None:
        self._projects: dict[str, tuple[int, float]] = {}
        self._generation = 0
        changes.subscribe(self)

    async def project_for(self, session: AsyncSession, token: str) -> int | None:
        now = time.monotonic()
        entry = self._projects.get(token)
        if entry is not None and entry[1] > now:
            return entry[0]
        generation = self._generation
        project_id = await repository.project_for_token(session, token)
        if project_id is not None and generation == self._generation:
            if len(self._projects) >= MAX_ENTRIES:
                self._projects.clear()
            self._projects[token] = (project_id, now + TOKEN_TTL_SECONDS)
        return project_id

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        for token in [token for token, entry in self._projects.items() if entry[0] == project_id]:
            del self._projects[token]


class SeenEvents:
    """Which event names are due for a `last_seen_at` update: at most one per name per minute per process."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, str], float] = {}

    def due(self, project_id: int, names: Iterable[str]) -> list[str]:
        now = time.monotonic()
        last = self._last
        due = [
            name
            for name in names
            if now - last.get((project_id, name), -SEEN_INTERVAL_SECONDS) >= SEEN_INTERVAL_SECONDS
        ]
        if len(last) + len(due) > MAX_ENTRIES:
            last.clear()
        for name in due:
            last[project_id, name] = now
        return due
