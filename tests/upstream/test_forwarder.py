"""Forwarding to an upstream PostHog: accepted events wait in the outbox until the upstream answers 2xx, through
failures, an outage and a restart; rejected events stay in quarantine."""

import asyncio

from eventschema.db import Database
from eventschema.upstream.forwarder import backoff_seconds, capture_url
from tests.enforcement.helpers import captured_ok, define, event, logged, project_token, quarantined
from tests.enforcement.servers import free_port
from tests.factories import Account
from tests.upstream.helpers import FakePostHog, gateway, outbox_size, until, upstream

UUID_0 = "0190f1a8-0000-7000-8000-000000000000"


async def test_events_are_forwarded_after_upstream_failures(db: Database, account: Account) -> None:
    port = free_port()
    fake = FakePostHog(transient=[(503, {})] * 2)
    async with upstream(fake, port), gateway(db, port) as client:
        await define(client, account, "warned", mode="warn")
        await define(client, account, "rejected", mode="reject")
        token = await project_token(client, account)
        batches = [
            [{**event("viewed", n=0), "uuid": UUID_0, "timestamp": "2024-01-01T00:00:00Z"}, event("warned", plan="x")],
            [event("rejected", plan="x"), event("viewed", n=1)],
            [event("viewed", n=2)],
        ]
        for batch in batches:
            await captured_ok(client, token, batch)

        async def delivered() -> bool:
            return len(fake.events) == 4 and await outbox_size(db) == 0

        await until(delivered)

        assert fake.requests >= 3
        assert {batch["api_key"] for batch in fake.batches} == {token}
        by_name = sorted(fake.events, key=lambda item: (item["event"], item["properties"].get("n", -1)))
        assert [item["event"] for item in by_name] == ["viewed", "viewed", "viewed", "warned"]
        assert (by_name[0]["uuid"], by_name[0]["timestamp"]) == (UUID_0, "2024-01-01T00:00:00Z")
        assert [v["property"] for v in by_name[3]["properties"]["$schema_violations"]] == ["seats"]
        assert await logged(client, account) == []
        assert [item["event"] for item in await quarantined(client, account)] == ["rejected"]


async def test_an_outage_and_a_restart_lose_nothing(db: Database, account: Account) -> None:
    port = free_port()  # nothing listens there yet: the upstream is down
    async with gateway(db, port) as client:
        token = await project_token(client, account)
        for i in range(5):
            await captured_ok(client, token, [event("viewed", n=i * 10 + j) for j in range(10)])
        await asyncio.sleep(1.0)
        assert await outbox_size(db) == 50

    fake = FakePostHog(transient=[(503, {})])
    async with upstream(fake, port), gateway(db, port, upstream_batch_size=20, upstream_api_key="phc_upstream"):

        async def drained() -> bool:
            return await outbox_size(db) == 0

        await until(drained)

    assert sorted(item["properties"]["n"] for item in fake.events) == list(range(50))
    assert {batch["api_key"] for batch in fake.batches} == {"phc_upstream"}
    assert max(len(batch["batch"]) for batch in fake.batches) == 20


def test_upstream_urls_and_backoff() -> None:
    assert capture_url("https://us.i.posthog.com") == "https://us.i.posthog.com/batch/"
    assert capture_url("https://us.i.posthog.com/") == "https://us.i.posthog.com/batch/"
    assert capture_url("http://proxy:8000/capture/") == "http://proxy:8000/capture/"
    delays = [backoff_seconds(attempts, 60.0) for attempts in range(1, 12)]
    assert 0.75 <= delays[0] <= 1.0
    assert 6.0 <= delays[3] <= 8.0
    assert all(45.0 <= delay <= 60.0 for delay in delays[7:])
