"""Group commit: concurrent requests' writes share one transaction; a request whose rows cannot be written
fails alone; the queue is bounded."""

import asyncio
from collections.abc import Sequence
from typing import NoReturn

import pytest
from sqlalchemy import select

from eventschema.capture import postgres
from eventschema.capture.committer import Committer
from eventschema.capture.storage import UnknownProject, Work
from eventschema.capture.triage import triage
from eventschema.db import Database
from eventschema.enforcement.cache import PlanCache
from eventschema.models import EventLogEntry, utcnow
from eventschema.quarantine import repository as quarantine_repository
from tests.app.helpers import app_settings
from tests.enforcement.helpers import define, event
from tests.factories import Account


async def _work(db: Database, project_id: int, plan_project: int, names: list[str]) -> Work:
    async with db.session(write=False) as session:
        plan = await PlanCache(64 * 1024 * 1024).get(session, plan_project)
    received_at = utcnow()
    result = triage(plan, [event(name) for name in names], received_at)
    return Work(project_id, "phc_x", received_at, result, sorted(result.names))


async def _logged_names(db: Database) -> list[str]:
    async with db.session(write=False) as session:
        return list((await session.execute(select(EventLogEntry.event).order_by(EventLogEntry.id))).scalars())


class CountingCommitter(Committer):
    """Records how many requests' work each transaction carried."""

    def __init__(self) -> None:
        super().__init__(app_settings())
        self.transactions: list[int] = []

    async def _write(self, database: Database, works: Sequence[Work]) -> None:
        self.transactions.append(len(works))
        await super()._write(database, works)


async def test_concurrent_work_is_committed_together(db: Database, account: Account) -> None:
    committer = CountingCommitter()
    works = [await _work(db, account.project_id, account.project_id, [f"e{i}", f"e{i}"]) for i in range(5)]

    await asyncio.gather(*(committer.submit(db, work) for work in works))

    # Requests that queue up while no commit has started share the next one.
    assert sum(committer.transactions) == 5
    assert len(committer.transactions) < 5
    assert sorted(await _logged_names(db)) == sorted(f"e{i}" for i in range(5) for _ in range(2))


async def test_a_failing_request_fails_alone(db: Database, account: Account) -> None:
    committer = Committer(app_settings())
    good = await _work(db, account.project_id, account.project_id, ["good"])
    orphan = await _work(db, account.project_id + 1000, account.project_id, ["orphan"])  # no such project

    results = await asyncio.gather(committer.submit(db, good), committer.submit(db, orphan), return_exceptions=True)

    assert results[0] is None
    assert isinstance(results[1], UnknownProject)
    assert results[1].missing == {account.project_id + 1000}
    assert await _logged_names(db) == ["good"]


async def test_a_failed_commit_leaves_nothing_behind(
    client, db: Database, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second request's quarantined event is written after both requests' accepted events: the merged commit
    # fails there, and must take the good events with it, or they would be written twice when retried alone.
    await define(client, account, "signed up", mode="reject")
    committer = Committer(app_settings())
    good = await _work(db, account.project_id, account.project_id, ["good", "good"])
    bad = await _work(db, account.project_id, account.project_id, ["also good", "signed up"])
    assert len(bad.triage.rejected) == 1
    refused = RuntimeError("the database refused the quarantined event")

    def refuse(*_args: object, **_kwargs: object) -> NoReturn:
        raise refused

    # Whichever path the back end writes through, its quarantine step fails.
    monkeypatch.setattr(postgres, "_quarantine_rows", lambda batch: refuse() if batch.rejected else [])
    real_add = quarantine_repository.add
    monkeypatch.setattr(
        quarantine_repository, "add", lambda session, rows: refuse() if rows else real_add(session, rows)
    )

    results = await asyncio.gather(committer.submit(db, good), committer.submit(db, bad), return_exceptions=True)

    assert results == [None, refused]
    assert await _logged_names(db) == ["good", "good"]


async def test_the_queue_is_bounded(db: Database, account: Account) -> None:
    committer = Committer(app_settings(), max_pending=1)
    works = [await _work(db, account.project_id, account.project_id, ["e"] * 3) for _ in range(4)]

    await asyncio.gather(*(committer.submit(db, work) for work in works))

    assert len(await _logged_names(db)) == 12


@pytest.mark.parametrize("count", [1, 3])
async def test_nothing_waits_for_nothing(db: Database, account: Account, count: int) -> None:
    committer = Committer(app_settings())

    for _ in range(count):
        await committer.submit(db, await _work(db, account.project_id, account.project_id, ["e"]))

    assert len(await _logged_names(db)) == count
