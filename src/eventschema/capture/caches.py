"""What each process remembers between capture requests: project API keys, and when it last saw each event.

Both are bounded in bytes (`EVENTSCHEMA_CACHE_MAX_BYTES`' capture share, half each); past the bound, the least
recently used entries go.
"""

import sys
import time
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.caching.lru import ByteLRU
from eventschema.capture import repository
from eventschema.enforcement import changes

TOKEN_TTL_SECONDS = 60.0
SEEN_INTERVAL_SECONDS = 60.0
# About what an entry takes besides its text: the key's tuple, the value, and the LRU's own record.
ENTRY_OVERHEAD = 200


class TokenCache:
    """Project API key -> project id, kept with the credentials revision read before the lookup and used only at the
    same revision: a rotated key stops working with the next request on every process, notified or not (a rotation
    is a credential change). Entries also expire.

    As in the plan cache, a lookup that overlaps an invalidation does not store what it read.
    """

    def __init__(self, max_bytes: int) -> None:
        self._projects: ByteLRU[str, tuple[int, float, int]] = ByteLRU(max_bytes)
        self._generation = 0
        changes.subscribe(self)

    @property
    def entries(self) -> ByteLRU[str, tuple[int, float, int]]:
        return self._projects

    def peek(self, token: str) -> int | None:
        """The project a kept entry names, unchecked: which project's schema version to read with the revision."""
        entry = self._projects.get(token)
        return None if entry is None else entry[0]

    def kept(self, token: str, credentials: int) -> int | None:
        """The key's project if a current entry says so (`credentials` as in `project_for`), without a lookup."""
        entry = self._projects.get(token)
        if entry is not None and entry[1] > time.monotonic() and entry[2] == credentials:
            return entry[0]
        return None

    async def project_for(self, session: AsyncSession, token: str, credentials: int) -> int | None:
        """The key's project; `credentials` is the credentials revision read before this call."""
        kept = self.kept(token, credentials)
        if kept is not None:
            return kept
        now = time.monotonic()
        generation = self._generation
        project_id = await repository.project_for_token(session, token)
        if project_id is not None and generation == self._generation:
            size = sys.getsizeof(token) + ENTRY_OVERHEAD
            self._projects.put(token, (project_id, now + TOKEN_TTL_SECONDS, credentials), size)
        return project_id

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        for token, entry in self._projects.items():
            if entry[0] == project_id:
                self._projects.pop(token)


class SeenEvents:
    """Which event names are due for a `last_seen_at` update: at most one per name per minute per process."""

    def __init__(self, max_bytes: int) -> None:
        self._last: ByteLRU[tuple[int, str], float] = ByteLRU(max_bytes)

    @property
    def entries(self) -> ByteLRU[tuple[int, str], float]:
        return self._last

    def due(self, project_id: int, names: Iterable[str]) -> list[str]:
        now = time.monotonic()
        last = self._last
        due = []
        for name in names:
            seen = last.get((project_id, name))
            if seen is None or now - seen >= SEEN_INTERVAL_SECONDS:
                due.append(name)
                last.put((project_id, name), now, sys.getsizeof(name) + ENTRY_OVERHEAD)
        return due
