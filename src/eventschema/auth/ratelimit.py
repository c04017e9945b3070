"""Per-key request limits (burst per minute, sustained per hour) and per-address failed authentications,
kept in each worker's memory.

Fixed windows are enough here: the limits protect the service from a runaway script, they are not
billing. With N worker processes a key can get up to N times the limit; a shared counter would need
a round trip to the database on every request.
"""

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_TRACKED_KEYS = 100_000
MAX_TRACKED_ADDRESSES = 100_000


@dataclass
class _Window:
    seconds: int
    limit: int
    max_keys: int = MAX_TRACKED_KEYS
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
        if len(self.counts) > self.max_keys:
            self.counts = {k: v for k, v in self.counts.items() if v[0] == index}
        if len(self.counts) > self.max_keys:
            # Still full within one window (many distinct clients): forget the oldest half, so the table
            # stays bounded and the eviction's cost is spread over the insertions that follow.
            excess = len(self.counts) - self.max_keys // 2
            for oldest in list(itertools.islice(self.counts, excess)):
                del self.counts[oldest]


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


class FailedAttempts:
    """Failed authentications per client address: past `per_minute` of them, the address waits for the next
    minute, whatever key it then presents (a correct key accepted would tell a guesser it had found one)."""

    def __init__(
        self, per_minute: int, max_addresses: int = MAX_TRACKED_ADDRESSES, clock: Callable[[], float] = time.time
    ) -> None:
        self._window = _Window(60, per_minute, max_addresses)
        self._clock = clock

    def wait(self, address: str, now: float | None = None) -> int:
        """0 when the address may try, else the seconds until it may."""
        if address not in self._window.counts:
            return 0  # every authenticated request passes here: one dict lookup for an address that never failed
        return self._window.wait(address, self._clock() if now is None else now)

    def failed(self, address: str, now: float | None = None) -> None:
        self._window.count(address, self._clock() if now is None else now)

    def tracked(self) -> int:
        return len(self._window.counts)
