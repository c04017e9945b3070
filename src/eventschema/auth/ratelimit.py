"""Per-key request limits (burst per minute, sustained per hour), kept in each worker's memory.

Fixed windows are enough here: the limits protect the service from a runaway script, they are not
billing. With N worker processes a key can get up to N times the limit; a shared counter would need
a round trip to the database on every request.
"""

import math
import time
from dataclasses import dataclass, field

MAX_TRACKED_KEYS = 100_000


@dataclass
class _Window:
    seconds: int
    limit: int
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def wait(self, key: str, now: float) -> int:
        """0 when one more request fits in the current window, else the seconds until it resets."""
        index = int(now // self.seconds)
        current_index, count = self.counts.get(key, (index, 0))
        if current_index != index or count < self.limit:
            return 0
        return max(1, math.ceil((index + 1) * self.seconds - now))

    def count(self, key: str, now: float) -> None:
        index = int(now // self.seconds)
        current_index, count = self.counts.get(key, (index, 0))
        self.counts[key] = (index, 1 if current_index != index else count + 1)
        if len(self.counts) > MAX_TRACKED_KEYS:
            self.counts = {k: v for k, v in self.counts.items() if v[0] == index}


class RateLimiter:
    def __init__(self, per_minute: int, per_hour: int) -> None:
        self._windows = (_Window(60, per_minute), _Window(3600, per_hour))

    def check(self, key: str, now: float | None = None) -> int:
        """0 when the request may proceed (and it is counted), else how many seconds to wait (not counted)."""
        moment = time.time() if now is None else now
        wait = max(window.wait(key, moment) for window in self._windows)
        if wait == 0:
            for window in self._windows:
                window.count(key, moment)
        return wait
