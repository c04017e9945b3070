"""Reads of the revisions shared by the requests waiting together: never older than the request, one statement for
many requests, errors and departures handled (`caching.revisions`)."""

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import insert

from eventschema.caching.revisions import DatabaseRevisions, Revisions, Snapshot, request_snapshot
from eventschema.db import Database
from eventschema.enforcement import changes
from eventschema.enforcement.repository import schema_version
from eventschema.models import CredentialChange, utcnow
from tests.factories import Account, make_account


class SlowFetch:
    """A fetch that answers the number of its call, once `release` is set (each call waits for a new release)."""

    def __init__(self) -> None:
        self.calls = 0
        self.asked: list[list[int]] = []
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.fail: Exception | None = None

    async def __call__(self, project_ids: Sequence[int]) -> Snapshot:
        self.calls += 1
        call = self.calls
        self.asked.append(list(project_ids))
        self.started.set()
        await self.release.wait()
        self.release.clear()
        if self.fail is not None:
            raise self.fail
        return Snapshot(call, dict.fromkeys(project_ids, call))


async def _until_fetch_started(fetch: SlowFetch) -> None:
    await asyncio.wait_for(fetch.started.wait(), 1)
    fetch.started.clear()


async def _answer_the_read(fetch: SlowFetch) -> None:
    await _until_fetch_started(fetch)
    fetch.release.set()


async def test_requests_waiting_together_share_one_read() -> None:
    fetch = SlowFetch()
    revisions = Revisions(fetch)
    first = asyncio.create_task(revisions.read(1))
    await _until_fetch_started(fetch)
    waiting = [asyncio.create_task(revisions.read(project)) for project in (1, 2, 2, 3, None)]
    await asyncio.sleep(0)
    fetch.release.set()
    assert (await first).credentials == 1
    await _answer_the_read(fetch)
    snapshots = await asyncio.gather(*waiting)
    # The five that arrived while the first read was in flight share the second; it asked for their projects.
    assert {snapshot.credentials for snapshot in snapshots} == {2}
    assert fetch.asked == [[1], [1, 2, 3]]
    assert [snapshots[i].version(p) for i, p in enumerate((1, 2, 2, 3))] == [2, 2, 2, 2]
    assert revisions.reads == 2


async def test_a_request_never_uses_a_read_sent_before_it_arrived() -> None:
    fetch = SlowFetch()
    revisions = Revisions(fetch)
    early = asyncio.create_task(revisions.read(1))
    await _until_fetch_started(fetch)
    late = asyncio.create_task(revisions.read(1))  # a write may have committed after the first read was sent
    await asyncio.sleep(0)
    fetch.release.set()
    await early
    assert not late.done()
    await _answer_the_read(fetch)
    assert (await late).credentials == 2


async def test_a_failed_read_reaches_every_waiter_and_the_next_read_tries_again() -> None:
    fetch = SlowFetch()
    revisions = Revisions(fetch)
    fetch.fail = OSError("database down")
    waiting = [asyncio.create_task(revisions.read(1)) for _ in range(3)]
    await _answer_the_read(fetch)
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(result, OSError) for result in results)
    fetch.fail = None
    again = asyncio.create_task(revisions.read(1))
    await _answer_the_read(fetch)
    assert (await again).credentials == 2


async def test_a_request_that_goes_away_does_not_cancel_the_read_of_the_others() -> None:
    fetch = SlowFetch()
    revisions = Revisions(fetch)
    leaving = asyncio.create_task(revisions.read(1))
    staying = asyncio.create_task(revisions.read(1))
    await _until_fetch_started(fetch)
    leaving.cancel()
    await asyncio.sleep(0)
    fetch.release.set()
    assert (await staying).credentials == 1
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_one_read_per_request_for_every_check_of_it() -> None:
    fetch = SlowFetch()
    revisions = Revisions(fetch)
    state: dict[str, object] = {}
    fetch.release.set()
    first = await request_snapshot(state, revisions, 7)
    fetch.release.set()
    assert await request_snapshot(state, revisions, 7) is first
    assert await request_snapshot(state, revisions, None) is first
    fetch.release.set()
    other = await request_snapshot(state, revisions, 8)  # another project: its version was not read
    assert other.version(8) == 2
    assert fetch.calls == 2


async def test_the_database_read_gives_the_latest_changes(db: Database, account: Account) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    revisions = DatabaseRevisions(lambda: db)
    before = await revisions.read(account.project_id)
    async with db.session(write=True) as session:
        await changes.schema_changed(session, account.project_id)
        await session.execute(insert(CredentialChange), {"changed_at": utcnow()})
        await session.commit()
    after = await revisions.read(account.project_id)
    assert after.credentials > before.credentials
    assert after.version(account.project_id) > before.version(account.project_id)
    both = await asyncio.gather(revisions.read(account.project_id), revisions.read(other.project_id))
    assert both[1].version(account.project_id) == after.version(account.project_id)
    async with db.session(write=False) as session:
        assert both[1].version(other.project_id) == await schema_version(session, other.project_id)
    assert both[0].credentials == after.credentials
