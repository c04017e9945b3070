"""Per-process caches bounded in bytes (`lru`), and the generated responses kept per plan revision (`responses`).

`EVENTSCHEMA_CACHE_MAX_BYTES` is shared out among the caches of a process in fixed parts (`share`).
"""

from typing import Final, Literal

Cache = Literal["responses", "answers", "pages", "groups", "plans", "keys", "capture"]
# Parts of the whole. Compiled plans get the most: one that does not fit is compiled again for every batch of
# events the gateway checks (a 1,000-event plan with 36,000 linked properties counts about 13 MB).
SHARES: Final[dict[Cache, float]] = {
    "responses": 0.15,
    "answers": 0.2,
    "pages": 0.1,
    "groups": 0.15,
    "plans": 0.3,
    "keys": 0.05,
    "capture": 0.05,
}


def share(max_bytes: int, cache: Cache) -> int:
    return int(max_bytes * SHARES[cache])
