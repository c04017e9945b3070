"""An event the upstream refuses for good is isolated and quarantined, and never holds back the others; an
upstream that fails for a while is retried and quarantines nothing."""

import asyncio
import contextlib
import logging
import math
from collections import Counter

import pytest

from eventschema.capture.uuids import event_uuid
from eventschema.db import Database
from eventschema.upstream import repository
from eventschema.upstream.forwarder import Forwarder
from tests.app.helpers import app_settings
from tests.enforcement.helpers import api, captured_ok, event, project_token, quarantined
from tests.enforcement.servers import free_port
from tests.factories import Account
from tests.upstream.helpers import HANG, POISON, REJECTION_DETAIL, FakePostHog, gateway, outbox_size, until, upstream

WARNING_PREFIX = "upstream rejected"

UUID_4 = "0190f1a8-0000-7000-8000-000000000004"


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "eventschema.upstream" and record.getMessage().startswith(WARNING_PREFIX)
    ]


async def test_one_poisoned_event_of_600_is_quarantined_and_the_599_others_delivered(
    db: Database, account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    fake = FakePostHog()
    caplog.set_level(logging.WARNING, logger="eventschema.upstream")
    async with upstream(fake, port), gateway(db, port) as client:
        token = await project_token(client, account)
        events = [event("viewed", n=n) for n in range(600)]
        events[337]["properties"][POISON] = True
        await captured_ok(client, token, events)

        async def settled() -> bool:
            return await outbox_size(db) == 0 and len(fake.events) == 599

        await until(settled)
        rows = await quarantined(client, account)

    delivered = Counter(item["properties"]["n"] for item in fake.events)
    assert sorted(delivered) == [n for n in range(600) if n != 337]
    assert set(delivered.values()) == {1}
    assert len(rows) == 1
    assert rows[0]["event"] == "viewed"
    assert rows[0]["properties"] == {"n": 337, POISON: True}
    assert rows[0]["reasons"] == ["upstream_rejected"]
    [violation] = rows[0]["violations"]
    assert violation["reason"] == "upstream_rejected"
    assert violation["message"].startswith("The upstream answered 400: ")
    assert REJECTION_DETAIL[:500] in violation["message"]
    assert 1000 < len(violation["message"]) < 1200  # the first KiB of the answer, not all of it
    # Two batches (500 and 100 events, the default batch size); the bad one costs at most two requests per
    # halving, and one for the culprit alone.
    assert fake.requests <= 2 + 2 * math.ceil(math.log2(500)) + 1
    assert fake.request_sizes.count(1) >= 1
    [warning] = _warnings(caplog)
    assert f"project {account.project_id}" in warning and "1 event" in warning and "400" in warning


async def test_a_batch_the_upstream_refuses_entirely_is_quarantined_event_by_event(
    db: Database, account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    fake = FakePostHog(reject_all=True)
    caplog.set_level(logging.WARNING, logger="eventschema.upstream")
    async with upstream(fake, port), gateway(db, port) as client:
        token = await project_token(client, account)
        await captured_ok(client, token, [event("viewed", n=n) for n in range(40)])

        async def settled() -> bool:
            return await outbox_size(db) == 0

        await until(settled)
        rows = await quarantined(client, account, "?reason=upstream_rejected&limit=100")

    assert sorted(row["properties"]["n"] for row in rows) == list(range(40))
    assert fake.events == []
    # Each event was refused alone before it was quarantined, and the search did not cost n·log n requests:
    # halves down to groups of 16 or fewer, then one request per event; at most 1.5 requests per event.
    assert fake.request_sizes.count(1) == 40
    assert fake.requests <= 1.5 * 40 + 1
    [warning] = _warnings(caplog)
    assert "40 events" in warning and "400" in warning


@pytest.mark.parametrize("failure", [503, HANG])
async def test_a_503_or_a_timeout_is_retried_and_quarantines_nothing(
    db: Database, account: Account, failure: int
) -> None:
    port = free_port()
    fake = FakePostHog(transient=[(failure, {}), (failure, {})])
    async with upstream(fake, port), gateway(db, port, upstream_timeout_seconds=0.5) as client:
        token = await project_token(client, account)
        await captured_ok(client, token, [event("viewed", n=n) for n in range(30)])

        async def settled() -> bool:
            return await outbox_size(db) == 0

        await until(settled)
        assert await quarantined(client, account) == []

    assert fake.request_sizes == [30, 30, 30]  # retried whole: a 5xx says nothing about the events
    assert sorted(item["properties"]["n"] for item in fake.events) == list(range(30))


async def test_a_429_is_retried_after_what_retry_after_says(db: Database, account: Account) -> None:
    port = free_port()
    fake = FakePostHog(transient=[(429, {"Retry-After": "2"}), (408, {})])
    async with upstream(fake, port), gateway(db, port) as client:
        token = await project_token(client, account)
        await captured_ok(client, token, [event("viewed", n=n) for n in range(5)])

        async def settled() -> bool:
            return await outbox_size(db) == 0

        await until(settled)
        assert await quarantined(client, account) == []

    assert fake.request_sizes == [5, 5, 5]
    # The first retry waits what the upstream asked (without it, the first backoff is at most one second).
    assert fake.request_times[1] - fake.request_times[0] >= 1.9
    assert len(fake.events) == 5


async def test_a_quarantined_rejection_is_delivered_by_a_replay_once_the_upstream_accepts_it(
    db: Database, account: Account
) -> None:
    port = free_port()
    fake = FakePostHog()
    async with upstream(fake, port), gateway(db, port) as client:
        token = await project_token(client, account)
        events = [event("viewed", n=n) for n in range(10)]
        events[4] = {**event("viewed", n=4, **{POISON: True}), "uuid": UUID_4, "timestamp": "2024-01-01T00:00:00Z"}
        await captured_ok(client, token, events)

        async def settled() -> bool:
            return await outbox_size(db) == 0 and len(fake.events) == 9

        await until(settled)
        [row] = await quarantined(client, account)
        assert await quarantined(client, account, "?reason=missing_required") == []

        fake.rejecting = False
        replayed = await api(client, account, "POST", "quarantine/replay/", json={"reason": "upstream_rejected"})
        assert replayed == {"forwarded": 1, "still_quarantined": 0}

        async def redelivered() -> bool:
            return await outbox_size(db) == 0 and len(fake.events) == 10

        await until(redelivered)
        assert await quarantined(client, account) == []

    assert row["properties"] == {"n": 4, POISON: True}
    delivered = Counter(item["properties"]["n"] for item in fake.events)
    assert sorted(delivered) == list(range(10)) and set(delivered.values()) == {1}
    replayed_event = fake.events[-1]
    assert (replayed_event["uuid"], replayed_event["timestamp"]) == (UUID_4, "2024-01-01T00:00:00Z")


async def test_a_long_search_keeps_its_lease_so_another_process_sends_nothing_twice(db: Database) -> None:
    port = free_port()
    fake = FakePostHog(delay=0.15)  # about 15 requests of 0.15 s: longer than a lease of 3 x 0.3 s
    settings = app_settings(upstream_url=f"http://127.0.0.1:{port}", upstream_timeout_seconds=0.3)
    events = [event("viewed", n=n) for n in range(100)]
    events[71]["properties"][POISON] = True
    async with db.session(write=True) as session:
        await repository.enqueue(session, [(1, "phc_a", event_uuid(item), item) for item in events])
        await session.commit()

    async with upstream(fake, port):
        workers = [asyncio.create_task(Forwarder(db, settings).run()) for _ in range(2)]
        try:

            async def settled() -> bool:
                return await outbox_size(db) == 0

            await until(settled)
        finally:
            for worker in workers:
                worker.cancel()
            for worker in workers:
                with contextlib.suppress(asyncio.CancelledError):
                    await worker

    delivered = Counter(item["properties"]["n"] for item in fake.events)
    assert sorted(delivered) == [n for n in range(100) if n != 71]
    assert set(delivered.values()) == {1}
    assert fake.request_sizes[0] == 100 and fake.requests > 8
