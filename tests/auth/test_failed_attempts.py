"""Failed authentications are throttled per client address (auth/ratelimit.py's FailedAttempts, and the API)."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from eventschema.app import create_app
from eventschema.auth.ratelimit import FailedAttempts
from eventschema.db import Database
from tests.app.helpers import app_settings
from tests.factories import Account

WRONG = {"Authorization": "Bearer phx_wrong"}


def test_an_address_waits_for_the_next_minute_after_its_failures() -> None:
    attempts = FailedAttempts(per_minute=3)

    for _ in range(3):
        assert attempts.wait("10.0.0.1", now=120.0) == 0
        attempts.failed("10.0.0.1", now=120.0)
    assert attempts.wait("10.0.0.1", now=120.0) == 60
    assert attempts.wait("10.0.0.1", now=170.5) == 10
    assert attempts.wait("10.0.0.2", now=170.5) == 0
    assert attempts.wait("10.0.0.1", now=180.0) == 0


def test_the_table_of_addresses_stays_bounded() -> None:
    attempts = FailedAttempts(per_minute=3, max_addresses=100)

    for minute in range(3):
        for address in range(1000):
            attempts.failed(f"10.0.{minute}.{address}", now=minute * 60.0)
            assert attempts.tracked() <= 100
    for _ in range(3):
        attempts.failed("10.9.9.9", now=190.0)
    assert attempts.wait("10.9.9.9", now=190.0) == 50


@asynccontextmanager
async def client_from(app, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _throttled_run(db: Database, account: Account, **settings: object) -> dict[str, list[httpx.Response]]:
    """Three failures from one address, then its and another address's requests; retried if a minute ended."""
    for _attempt in range(3):
        app = create_app(app_settings(auth_failures_per_minute=3, **settings), database=db)
        url = account.url("event_definitions/")
        started = time.time()
        async with client_from(app, "10.0.0.1") as attacker, client_from(app, "10.0.0.2") as neighbour:
            runs = {
                "failures": [await attacker.get(url, headers=WRONG) for _ in range(3)],
                "attacker": [
                    await attacker.get(url, headers=account.headers),
                    await attacker.get(url, headers=WRONG),
                    await attacker.post(url, json={"name": "x", "personal_api_key": account.api_key}),
                    await attacker.get(url),
                ],
                "neighbour": [await neighbour.get(url, headers=account.headers)],
            }
        await app.state.gateway.close()
        if int(started // 60) == int(time.time() // 60):
            return runs
    raise AssertionError("every run straddled a minute boundary")


async def test_after_its_failures_an_address_gets_429_even_with_a_correct_key(db: Database, account: Account) -> None:
    runs = await _throttled_run(db, account)

    assert [response.status_code for response in runs["failures"]] == [401, 401, 401]
    assert [response.status_code for response in runs["attacker"]] == [429, 429, 429, 429]
    throttled = runs["attacker"][0]
    retry_after = throttled.headers["retry-after"]
    assert 1 <= int(retry_after) <= 60
    assert throttled.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {retry_after} seconds.",
        "attr": None,
    }
    assert [response.status_code for response in runs["neighbour"]] == [200]


async def test_requests_without_credentials_are_not_failures(db: Database, account: Account) -> None:
    app = create_app(app_settings(auth_failures_per_minute=3), database=db)
    url = account.url("event_definitions/")
    async with client_from(app, "10.0.0.1") as http:
        anonymous = [await http.get(url) for _ in range(5)]
        keyed = await http.get(url, headers=account.headers)
    await app.state.gateway.close()

    assert [response.status_code for response in anonymous] == [401] * 5
    assert keyed.status_code == 200


async def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(db: Database, account: Account) -> None:
    app = create_app(app_settings(trust_proxy_headers=True), database=db)
    app.state.failed_attempts = FailedAttempts(3, clock=lambda: 90.0)  # the middle of a minute that never ends
    url = account.url("event_definitions/")
    async with client_from(app, "10.0.0.254") as proxy:
        # The proxy appends the address it saw; what the client wrote before it is not trusted.
        for _ in range(3):
            await proxy.get(url, headers={**WRONG, "X-Forwarded-For": "1.1.1.1, 192.0.2.7"})
        attacker = await proxy.get(url, headers={**account.headers, "X-Forwarded-For": "9.9.9.9, 192.0.2.7"})
        neighbour = await proxy.get(url, headers={**account.headers, "X-Forwarded-For": "192.0.2.8"})
    await app.state.gateway.close()

    assert (attacker.status_code, neighbour.status_code) == (429, 200)


async def test_no_throttle_when_turned_off(db: Database, account: Account) -> None:
    app = create_app(app_settings(auth_failures_per_minute=0), database=db)
    url = account.url("event_definitions/")
    async with client_from(app, "10.0.0.1") as http:
        failures = [await http.get(url, headers=WRONG) for _ in range(30)]
        keyed = await http.get(url, headers=account.headers)
    await app.state.gateway.close()

    assert {response.status_code for response in failures} == {401}
    assert keyed.status_code == 200


def test_twenty_failures_a_minute_by_default() -> None:
    assert app_settings().auth_failures_per_minute == 20
