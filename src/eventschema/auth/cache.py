"""Recently authenticated personal API keys, so a client's steady stream of requests is not one key lookup each.

An entry is what `service.authenticate` made of the key's row (owner, scopes, and the project the URL named with
the owner's membership), kept for `auth_cache_seconds` and stored with the credentials revision read before the
row. Every write that changes what a key may do (a revoked key, a member's level or removal, a rotated project API
key: `enforcement.changes.access_changed` and `token_changed`) appends a credential change, and each use of an
entry reads the latest revision (one statement) and uses the entry only if it is the one it was stored with: the
next request on every process sees the change, notified or not. The notifications only empty the cache early.
Failed lookups are never kept. The entries are bounded in bytes (each counted as ENTRY_BYTES); past the bound,
the least recently used go.
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
        self._entries: ByteLRU[Key, tuple[Any, float, int]] = ByteLRU(max_bytes)
        self._generation = 0
        changes.subscribe_credentials(self)

    @property
    def entries(self) -> ByteLRU[Key, tuple[Any, float, int]]:
        return self._entries

    @property
    def generation(self) -> int:
        """Moves with every invalidation: a lookup that overlapped one must not be stored."""
        return self._generation

    def get(self, secure_value: str, project: ProjectRef | None, revision: int) -> Any | None:
        """The kept row, if it was read at credentials revision `revision` and has not expired."""
        entry = self._entries.get((secure_value, project))
        if entry is None:
            return None
        if entry[1] <= time.monotonic() or entry[2] != revision:
            self._entries.pop((secure_value, project))
            return None
        return entry[0]

    def put(self, secure_value: str, project: ProjectRef | None, row: Any, revision: int, generation: int) -> None:
        if generation != self._generation:
            return
        self._entries.put((secure_value, project), (row, time.monotonic() + self._seconds, revision), ENTRY_BYTES)

    def replace(self, secure_value: str, project: ProjectRef | None, row: Any) -> None:
        """Update a kept row in place (its key's last use was just recorded), keeping its expiry."""
        entry = self._entries.get((secure_value, project))
        if entry is not None:
            self._entries.put((secure_value, project), (row, entry[1], entry[2]), ENTRY_BYTES)

    def forget_credentials(self) -> None:
        # A project's API key or personal API keys changed: entries for `@current` may name any project, and such
        # changes are rare next to requests, so every entry goes.
        self._generation += 1
        self._entries.clear()
