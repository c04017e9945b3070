"""One id per event, end to end: the SDK's `uuid` (or one given at the door) is stored, shown by the events and
quarantine APIs, kept through a replay and forwarded upstream; an event sent again with the same uuid (an SDK
retrying a batch whose answer it lost) is stored once."""

import asyncio
import uuid

from eventschema.capture.uuids import event_uuid
from eventschema.db import Database
from tests.enforcement.helpers import api, captured_ok, define, event, logged, project_token, quarantined
from tests.enforcement.servers import free_port
from tests.factories import Account, make_account
from tests.upstream.helpers import FakePostHog, gateway, outbox_size, until, upstream

VALID = {"plan": "pro", "seats": 3}


def _with_uuid(item: dict, value: str | None = None) -> dict:
    return {**item, "uuid": value or str(uuid.uuid4())}


async def test_the_sdk_uuid_is_stored_and_shown(client, account: Account) -> None:
    token = await project_token(client, account)
    given = str(uuid.uuid4())
    await captured_ok(client, token, [_with_uuid(event("viewed", n=1), given), event("viewed", n=2)])

    by_n = {item["properties"]["n"]: item for item in await logged(client, account)}
    assert by_n[1]["uuid"] == given
    # An event without one is given one when it arrives (time-ordered, version 7).
    assert uuid.UUID(by_n[2]["uuid"]).version == 7


async def test_an_unreadable_uuid_is_replaced(client, account: Account) -> None:
    token = await project_token(client, account)
    await captured_ok(client, token, [_with_uuid(event("viewed"), "not-a-uuid"), {**event("viewed"), "uuid": 7}])

    assert [uuid.UUID(item["uuid"]).version for item in await logged(client, account)] == [7, 7]


async def test_a_resent_batch_is_stored_once(client, account: Account) -> None:
    await define(client, account, "signed up")
    token = await project_token(client, account)
    batch = [
        _with_uuid(event("signed up", **VALID)),
        _with_uuid(event("signed up", plan="pro")),  # rejected: seats missing
        _with_uuid(event("viewed")),
    ]
    for _ in range(3):
        await captured_ok(client, token, batch)

    assert sorted(item["uuid"] for item in await logged(client, account)) == sorted(
        [batch[0]["uuid"], batch[2]["uuid"]]
    )
    assert [item["uuid"] for item in await quarantined(client, account)] == [batch[1]["uuid"]]


async def test_duplicates_within_a_batch_and_concurrent_retries_are_stored_once(client, account: Account) -> None:
    token = await project_token(client, account)
    same = str(uuid.uuid4())
    batch = [_with_uuid(event("viewed", n=n)) for n in range(20)]
    # The same uuid twice in a request, and the same request several times at once (their writes share commits).
    await asyncio.gather(*(captured_ok(client, token, [*batch, _with_uuid(event("x"), same)] * 2) for _ in range(4)))

    stored = await logged(client, account, "?limit=100")
    assert len(stored) == 21
    assert len({item["uuid"] for item in stored}) == 21


async def test_the_same_uuid_in_two_projects_is_two_events(client, account: Account, db: Database) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    shared = _with_uuid(event("viewed"))
    for owner in (account, other):
        await captured_ok(client, await project_token(client, owner), [shared])

    for owner in (account, other):
        assert [item["uuid"] for item in await logged(client, owner)] == [shared["uuid"]]


async def test_a_replayed_event_keeps_its_uuid_and_is_replayed_once(client, account: Account) -> None:
    created = await define(client, account, "signed up")
    token = await project_token(client, account)
    rejected = _with_uuid(event("signed up", plan="pro"))
    await captured_ok(client, token, [rejected])
    [held] = await quarantined(client, account)
    assert held["uuid"] == rejected["uuid"]

    await api(
        client, account, "PATCH", f"event_definitions/{created['definition']['id']}/", json={"enforcement_mode": "warn"}
    )
    assert await api(client, account, "POST", "quarantine/replay/", json={}) == {"forwarded": 1, "still_quarantined": 0}
    # Sent again after its replay: already in the log, so not stored a second time.
    await captured_ok(client, token, [rejected])

    [replayed] = await logged(client, account)
    assert (replayed["uuid"], replayed["distinct_id"]) == (rejected["uuid"], "user-1")
    assert await quarantined(client, account) == []


async def test_the_uuid_is_forwarded_upstream_and_queued_once(db: Database, account: Account) -> None:
    port = free_port()  # nothing listens there yet: events wait in the outbox
    given = _with_uuid(event("viewed", n=1))
    async with gateway(db, port) as client:
        token = await project_token(client, account)
        for _ in range(3):
            await captured_ok(client, token, [given, event("viewed", n=2)])
        await asyncio.sleep(0.2)
        # The event without a uuid got a new one each time: three events; the one with a uuid is queued once.
        assert await outbox_size(db) == 4

    fake = FakePostHog()
    async with upstream(fake, port), gateway(db, port):

        async def drained() -> bool:
            return await outbox_size(db) == 0

        await until(drained)

    sent = [item for item in fake.events if item["properties"]["n"] == 1]
    assert [item["uuid"] for item in sent] == [given["uuid"]]
    assigned = [item["uuid"] for item in fake.events if item["properties"]["n"] == 2]
    assert len(set(assigned)) == 3
    assert all(uuid.UUID(value).version == 7 for value in assigned)


def test_which_uuids_are_kept() -> None:
    given = "0190F1A8-1234-7ABC-8DEF-0123456789AB"
    for kept in (given, given.lower(), given.replace("-", "")):
        assert event_uuid({"uuid": kept}) == kept
    for unreadable in ("{" + given + "}", given[:-1], given[:8] + given[9:], "", None, 12, "urn:uuid:" + given):
        raw = {"uuid": unreadable}
        assigned = event_uuid(raw)
        assert raw["uuid"] == assigned != unreadable
        assert uuid.UUID(assigned).version == 7


async def test_one_uuid_in_two_spellings_is_one_event(client, account: Account) -> None:
    token = await project_token(client, account)
    given = str(uuid.uuid4())
    await captured_ok(client, token, [_with_uuid(event("viewed"), given)])
    await captured_ok(client, token, [_with_uuid(event("viewed"), given.upper().replace("-", ""))])

    assert [item["uuid"] for item in await logged(client, account)] == [given]
