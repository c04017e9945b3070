"""Per-key request limits (burst per minute, sustained per hour), kept in each worker's memory.

Fixed windows are enough here: the limits protect the service from a runaway script, they are not
billing. With N worker processes a key can get up to N times the limit; a shared counter would need
a round trip to the database on every request.
"""

import math
import time
from dataclasses import dataclass, field


@dataclass
class _Window:
    seconds: int
    limit: int
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def hit(self, key: str, now: float) -> int:
        """0 when allowed, else the seconds until the window resets."""
        index = int(now // self.seconds)
        current_index, count = self.counts.get(key, (index, 0))
        if current_index != index:
            count = 0
        if count >= self.limit:
            return max(1, math.ceil((index + 1) * self.seconds - now))
        self.counts[key] = (index, count + 1)
        if len(self.counts) > 100_000:
            self.counts = {k: v for k, v in self.counts.items() if v[0] == index}
        return 0


class RateLimiter:
    def __init__(self, per_minute: int, per_hour: int) -> None:
        self._windows = (_Window(60, per_minute), _Window(3600, per_hour))

    def check(self, key: str, now: float | None = None) -> int:
        """0 when the request may proceed, else how many seconds to wait."""
        moment = time.time() if now is None else now
        for window in self._windows:
            wait = window.hit(key, moment)
            if wait:
                return wait
        return 0
