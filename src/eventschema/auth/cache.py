"""Recently authenticated personal API keys, so a client's steady stream of requests is not one key lookup each.

An entry is what `service.authenticate` made of the key's row (owner, scopes, and the project the URL named with
the owner's membership), kept for `auth_cache_seconds`. A change to credentials announced through
`enforcement.changes` (a rotated project API key, a revoked personal API key) empties it, at once in the process
that made the change and, through the schema listener, in the other processes on PostgreSQL; schema writes leave
it alone. On SQLite, a key revoked by the
command line while a server runs stops working there within `auth_cache_seconds`. Failed lookups are never kept.
The entries are bounded in bytes (each counted as ENTRY_BYTES); past the bound, the least recently used go.
"""

import time
from typing import Any

from eventschema.auth.repository import ProjectRef
from eventschema.caching.lru import ByteLRU
from eventschema.enforcement import changes

# About what an entry takes: the key's secret, the owner's row, the principal and the membership.
ENTRY_BYTES = 2048

Key = tuple[str, ProjectRef | None]


class AuthCache:
    def __init__(self, seconds: float, max_bytes: int) -> None:
        self._seconds = seconds
        self._entries: ByteLRU[Key, tuple[Any, float]] = ByteLRU(max_bytes)
        self._generation = 0
        changes.subscribe_credentials(self)

    @property
    def entries(self) -> ByteLRU[Key, tuple[Any, float]]:
        return self._entries

    @property
    def generation(self) -> int:
        """Moves with every invalidation: a lookup that overlapped one must not be stored."""
        return self._generation

    def get(self, secure_value: str, project: ProjectRef | None) -> Any | None:
        entry = self._entries.get((secure_value, project))
        if entry is None:
            return None
        if entry[1] <= time.monotonic():
            self._entries.pop((secure_value, project))
            return None
        return entry[0]

    def put(self, secure_value: str, project: ProjectRef | None, row: Any, generation: int) -> None:
        if generation != self._generation:
            return
        self._entries.put((secure_value, project), (row, time.monotonic() + self._seconds), ENTRY_BYTES)

    def replace(self, secure_value: str, project: ProjectRef | None, row: Any) -> None:
        """Update a kept row in place (its key's last use was just recorded), keeping its expiry."""
        entry = self._entries.get((secure_value, project))
        if entry is not None:
            self._entries.put((secure_value, project), (row, entry[1]), ENTRY_BYTES)

    def forget_credentials(self) -> None:
        # A project's API key or personal API keys changed: entries for `@current` may name any project, and such
        # changes are rare next to requests, so every entry goes.
        self._generation += 1
        self._entries.clear()
