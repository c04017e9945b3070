"""POST /i/v1/analytics/events, PostHog's capture v1 as posthog-node sends it: Bearer key, gzip'd envelope,
session and options at the top of each event, an answer per uuid; same checks, quarantine and forwarding as the
other capture routes."""

import gzip
import uuid
from typing import Any

import orjson
from sqlalchemy import select

from eventschema.db import Database
from eventschema.models import OutboxEvent
from tests.enforcement.helpers import define, logged, project_token, quarantined
from tests.enforcement.servers import free_port
from tests.factories import Account
from tests.upstream.helpers import gateway

PATH = "/i/v1/analytics/events"
SDK = "posthog-node/5.70.0"


def v1_event(name: str, **properties: Any) -> dict[str, Any]:
    return {
        "event": name,
        "uuid": str(uuid.uuid4()),
        "distinct_id": "ada",
        "timestamp": "2026-11-30T03:00:00.000Z",
        "session_id": "s-1",
        "options": {"process_person_profile": False},
        "properties": properties,
    }


async def send(client, token: str | None, events: list[dict[str, Any]]):
    body = gzip.compress(orjson.dumps({"created_at": "2026-11-30T03:00:01.000Z", "batch": events}))
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip", "PostHog-Sdk-Info": SDK}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await client.post(PATH, content=body, headers=headers)


async def test_events_are_stored_as_the_other_routes_store_them(client, account: Account) -> None:
    token = await project_token(client, account)
    sent = v1_event("viewed", path="/pricing")

    response = await send(client, token, [sent])

    assert response.status_code == 200, response.text
    assert response.json() == {"results": {sent["uuid"]: {"result": "ok"}}}
    [stored] = await logged(client, account)
    assert (stored["uuid"], stored["event"], stored["distinct_id"]) == (sent["uuid"], "viewed", "ada")
    assert stored["timestamp"] == "2026-11-30T03:00:00Z"
    assert stored["properties"] == {
        "path": "/pricing",
        "$session_id": "s-1",
        "$process_person_profile": False,
        "$lib": "posthog-node",
        "$lib_version": "5.70.0",
    }


async def test_rejected_events_are_quarantined_and_answered_with_a_warning(client, account: Account) -> None:
    await define(client, account, "signed up")
    token = await project_token(client, account)
    good = v1_event("signed up", plan="pro", seats=3)
    bad = v1_event("signed up", plan="pro", seats="many")

    response = await send(client, token, [good, bad])

    assert response.json() == {
        "results": {
            good["uuid"]: {"result": "ok"},
            bad["uuid"]: {"result": "warning", "details": "quarantined: type_mismatch"},
        }
    }
    assert [item["uuid"] for item in await logged(client, account)] == [good["uuid"]]
    assert [item["uuid"] for item in await quarantined(client, account)] == [bad["uuid"]]


async def test_a_resent_batch_is_stored_once(client, account: Account) -> None:
    token = await project_token(client, account)
    batch = [v1_event("viewed", n=n) for n in range(5)]
    for _ in range(2):
        assert (await send(client, token, batch)).status_code == 200

    assert len(await logged(client, account)) == 5


async def test_the_key_is_required_and_checked(client, account: Account) -> None:
    missing = await send(client, None, [v1_event("viewed")])
    wrong = await send(client, "phc_wrong", [v1_event("viewed")])
    unreadable = await client.post(PATH, content=b"{", headers={"Authorization": "Bearer x"})

    assert (missing.status_code, missing.json()["code"]) == (401, "missing_api_key")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_api_key")
    assert unreadable.status_code == 400
    assert await logged(client, account) == []


async def test_with_an_upstream_events_are_queued_in_the_v0_shape(db: Database, account: Account) -> None:
    async with gateway(db, free_port()) as client:  # nothing listens there: events stay queued
        token = await project_token(client, account)
        sent = v1_event("viewed")
        assert (await send(client, token, [sent])).status_code == 200
        async with db.session(write=False) as session:
            [payload] = (await session.execute(select(OutboxEvent.payload))).scalars().all()

    assert (payload["uuid"], payload["properties"]["$session_id"]) == (sent["uuid"], "s-1")
    assert "session_id" not in payload and "options" not in payload
