"""Failed sign-ins: five a minute per email address and, separately, per client address; the next waits.

Counted in each worker's memory (`auth.ratelimit.FailedAttempts`); a sign-in that is throttled is refused before
its password is checked, so a guesser learns nothing from it, right or wrong.
"""

import time
from collections.abc import Callable

from eventschema.auth.ratelimit import FailedAttempts

FAILURES_PER_MINUTE = 5


class SignInThrottle:
    def __init__(self, per_minute: int = FAILURES_PER_MINUTE, clock: Callable[[], float] = time.time) -> None:
        self._emails = FailedAttempts(per_minute, clock=clock)
        self._addresses = FailedAttempts(per_minute, clock=clock)

    def wait(self, email: str, address: str) -> int:
        """0 when this email and address may try, else the seconds until they may."""
        return max(self._emails.wait(email.lower()), self._addresses.wait(address))

    def failed(self, email: str, address: str) -> None:
        self._emails.failed(email.lower())
        self._addresses.failed(address)
