"""Per-process caches bounded in bytes (`lru`), and the generated responses kept per plan revision (`responses`).

`EVENTSCHEMA_CACHE_MAX_BYTES` is shared out among the caches of a process in fixed parts (`share`).
"""

from typing import Final, Literal

Cache = Literal["responses", "pages", "groups", "plans", "keys"]
# Parts of the whole: bodies and pages are the big ones; compiled plans and keys are small per entry.
SHARES: Final[dict[Cache, float]] = {"responses": 0.3, "pages": 0.3, "groups": 0.25, "plans": 0.1, "keys": 0.05}


def share(max_bytes: int, cache: Cache) -> int:
    return int(max_bytes * SHARES[cache])
