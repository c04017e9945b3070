"""auth/ratelimit.py with a fake clock, and the limit as the API applies it."""

import time

from eventschema.app import create_app
from eventschema.auth.ratelimit import RateLimiter
from eventschema.db import Database
from eventschema.settings import Settings
from tests.app.helpers import app_client
from tests.factories import Account, make_key


def test_allows_the_burst_then_says_how_long_to_wait() -> None:
    limiter = RateLimiter(per_minute=3, per_hour=100)

    assert [limiter.check("k", now=120.0) for _ in range(3)] == [0, 0, 0]
    assert limiter.check("k", now=120.0) == 60
    assert limiter.check("k", now=150.2) == 30
    assert limiter.check("k", now=179.5) == 1
    assert limiter.check("k", now=180.0) == 0


def test_keys_are_counted_separately() -> None:
    limiter = RateLimiter(per_minute=1, per_hour=100)

    assert limiter.check("a", now=0.0) == 0
    assert limiter.check("b", now=0.0) == 0
    assert limiter.check("a", now=1.0) == 59
    assert limiter.check("b", now=1.0) == 59


def test_sustained_hourly_limit() -> None:
    limiter = RateLimiter(per_minute=10, per_hour=4)

    assert [limiter.check("k", now=float(minute * 60)) for minute in range(4)] == [0, 0, 0, 0]
    assert limiter.check("k", now=300.0) == 3300
    assert limiter.check("k", now=3599.0) == 1
    assert limiter.check("k", now=3600.0) == 0


def test_uses_the_clock_when_no_time_is_given() -> None:
    limiter = RateLimiter(per_minute=1, per_hour=10)

    assert limiter.check("k") == 0
    wait = limiter.check("k")
    assert 1 <= wait <= 60


async def test_the_fourth_request_in_a_minute_is_throttled(db: Database, account: Account) -> None:
    app = create_app(Settings(rate_limit_enabled=True, rate_limit_burst_per_minute=3), database=db)
    url = account.url("event_definitions/")
    async with app_client(app) as client:
        for _attempt in range(3):
            # A fresh key per attempt; retried only if the requests straddled a minute boundary.
            key = await make_key(db, account.email, ["*"])
            headers = {"Authorization": f"Bearer {key}"}
            started = time.time()
            responses = [await client.get(url, headers=headers) for _ in range(4)]
            if int(started // 60) == int(time.time() // 60):
                break
        other = await client.get(url, headers=account.headers)
        unauthenticated = [await client.get(url) for _ in range(5)]

    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    throttled = responses[3]
    retry_after = throttled.headers["retry-after"]
    assert 1 <= int(retry_after) <= 60
    assert throttled.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {retry_after} seconds.",
        "attr": None,
    }
    assert other.status_code == 200
    assert [response.status_code for response in unauthenticated] == [401] * 5


async def test_no_limit_when_disabled(db: Database, account: Account) -> None:
    app = create_app(Settings(rate_limit_enabled=False, rate_limit_burst_per_minute=3), database=db)
    async with app_client(app) as client:
        responses = [await client.get(account.url("event_definitions/"), headers=account.headers) for _ in range(6)]

    assert {response.status_code for response in responses} == {200}
