"""Retention: violation counters go after the history's days (30 by default), old events only where a retention
is set; deletes run project by project in chunks; the background task prunes every interval and survives a failed
round."""

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from eventschema.db import Database
from eventschema.enforcement.repository import credentials_revision, schema_version
from eventschema.models import CredentialChange, EventLogEntry, QuarantinedEvent, SchemaChange, ViolationCount, utcnow
from eventschema.retention import repository, service
from tests.app.helpers import app_settings
from tests.factories import Account, make_account

NOW = datetime(2026, 11, 27, 12, 30, tzinfo=utcnow().tzinfo)


async def _add(db: Database, project_id: int, received_at: datetime, event: str = "e") -> None:
    async with db.session(write=True) as session:
        session.add(EventLogEntry(
            project_id=project_id, event=event, distinct_id="u", properties={}, timestamp=received_at,
            received_at=received_at,
        ))  # fmt: skip
        session.add(QuarantinedEvent(
            project_id=project_id, event=event, distinct_id="u", properties={}, fields={}, violations=[],
            reasons="missing_required", received_at=received_at,
        ))  # fmt: skip
        hour = received_at.replace(minute=0, second=0, microsecond=0)
        session.add(ViolationCount(
            project_id=project_id, hour=hour, event=event, property="p", reason="missing_required", count=1,
        ))  # fmt: skip
        await session.commit()


async def _events(db: Database, model: type[EventLogEntry] | type[QuarantinedEvent]) -> list[str]:
    async with db.session(write=False) as session:
        return sorted((await session.execute(select(model.event))).scalars())


async def _counters(db: Database) -> list[str]:
    async with db.session(write=False) as session:
        return sorted((await session.execute(select(ViolationCount.event))).scalars())


async def test_counters_past_the_history_go_and_events_stay_by_default(db: Database, account: Account) -> None:
    await _add(db, account.project_id, NOW - timedelta(minutes=5), "now")
    await _add(db, account.project_id, NOW - timedelta(hours=25), "yesterday")
    await _add(db, account.project_id, NOW - timedelta(days=29, hours=23), "last month")
    await _add(db, account.project_id, NOW - timedelta(days=30, hours=1), "older")
    await _add(db, account.project_id, NOW - timedelta(days=400), "ancient")

    pruned = await service.prune(db, app_settings(), now=NOW)

    # Hourly counters are the violation history: kept 30 days from the current hour.
    assert await _counters(db) == ["last month", "now", "yesterday"]
    assert pruned == service.Pruned(events=0, quarantined=0, counters=2)
    assert await _events(db, EventLogEntry) == ["ancient", "last month", "now", "older", "yesterday"]
    assert await _events(db, QuarantinedEvent) == ["ancient", "last month", "now", "older", "yesterday"]


async def test_the_history_length_is_a_setting(db: Database, account: Account) -> None:
    await _add(db, account.project_id, NOW - timedelta(hours=23), "today")
    await _add(db, account.project_id, NOW - timedelta(hours=25), "yesterday")

    pruned = await service.prune(db, app_settings(violation_history_days=1), now=NOW)

    assert await _counters(db) == ["today"]
    assert pruned.counters == 1


async def test_event_log_and_quarantine_retentions_apply_separately(db: Database, account: Account) -> None:
    await _add(db, account.project_id, NOW - timedelta(days=2), "recent")
    await _add(db, account.project_id, NOW - timedelta(days=8), "old")
    await _add(db, account.project_id, NOW - timedelta(days=40), "older")

    pruned = await service.prune(db, app_settings(event_log_retention_days=7, quarantine_retention_days=30), now=NOW)

    assert await _events(db, EventLogEntry) == ["recent"]
    assert await _events(db, QuarantinedEvent) == ["old", "recent"]
    assert (pruned.events, pruned.quarantined) == (2, 1)


async def test_every_project_is_pruned_in_chunks(
    db: Database, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "CHUNK", 2)
    other = await make_account(db, email="other@example.com", project="Other")
    for project_id in (account.project_id, other.project_id):
        for days in range(10, 15):
            await _add(db, project_id, NOW - timedelta(days=days), f"old-{project_id}")
        await _add(db, project_id, NOW - timedelta(hours=1), f"new-{project_id}")

    settings = app_settings(event_log_retention_days=1, quarantine_retention_days=1, violation_history_days=1)
    pruned = await service.prune(db, settings, now=NOW)

    kept = sorted([f"new-{account.project_id}", f"new-{other.project_id}"])
    assert await _events(db, EventLogEntry) == kept
    assert await _events(db, QuarantinedEvent) == kept
    assert pruned == service.Pruned(events=10, quarantined=10, counters=10)


async def test_the_background_task_prunes_every_interval_and_survives_a_failure(
    db: Database, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds: list[str] = []
    real_prune = service.prune

    async def flaky_prune(database: Database, settings, now=None) -> service.Pruned:
        if not rounds:
            rounds.append("failed")
            raise RuntimeError("database hiccup")
        rounds.append("pruned")
        return await real_prune(database, settings, now)

    monkeypatch.setattr(service, "prune", flaky_prune)
    await _add(db, account.project_id, utcnow() - timedelta(days=3), "old")
    task = asyncio.create_task(
        service.run(db, app_settings(event_log_retention_days=1, retention_interval_seconds=0.01))
    )
    try:
        for _ in range(500):
            if await _events(db, EventLogEntry) == []:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    assert rounds[:2] == ["failed", "pruned"]
    assert await _events(db, EventLogEntry) == []


async def test_old_schema_changes_go_but_each_projects_latest_stays(db: Database, account: Account) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    async with db.session(write=True) as session:
        for project_id, changed_at in [
            (account.project_id, NOW - timedelta(days=3)),
            (account.project_id, NOW - timedelta(days=2)),
            (account.project_id, NOW - timedelta(hours=1)),
            (other.project_id, NOW - timedelta(days=5)),
            (other.project_id, NOW - timedelta(days=4)),
        ]:
            session.add(SchemaChange(project_id=project_id, changed_at=changed_at))
        await session.commit()
    before = {p: await _version(db, p) for p in (account.project_id, other.project_id)}

    pruned = await service.prune(db, app_settings(), now=NOW)

    assert pruned.changes == 3
    async with db.session(write=False) as session:
        left = (await session.execute(select(SchemaChange.project_id, SchemaChange.changed_at))).all()
    assert sorted((p, at.astimezone(NOW.tzinfo)) for p, at in left) == sorted(
        [(account.project_id, NOW - timedelta(hours=1)), (other.project_id, NOW - timedelta(days=4))]
    )
    # The versions, the ids of the latest changes, are what they were.
    assert {p: await _version(db, p) for p in before} == before


async def _version(db: Database, project_id: int) -> int:
    async with db.session(write=False) as session:
        return await schema_version(session, project_id)


async def test_old_credential_changes_go_but_the_latest_stays(db: Database, account: Account) -> None:
    async with db.session(write=True) as session:
        await session.execute(delete(CredentialChange))  # those made with the account, recorded as of today
        for changed_at in [NOW - timedelta(days=3), NOW - timedelta(days=2), NOW - timedelta(hours=1)]:
            session.add(CredentialChange(changed_at=changed_at))
        await session.commit()
    async with db.session(write=False) as session:
        revision = await credentials_revision(session)

    assert (await service.prune(db, app_settings(), now=NOW)).credential_changes == 2
    assert (await service.prune(db, app_settings(), now=NOW + timedelta(days=2))).credential_changes == 0

    async with db.session(write=False) as session:
        left = (await session.execute(select(CredentialChange.changed_at))).scalars().all()
        assert await credentials_revision(session) == revision  # the latest, kept: the revision does not move
    assert [at.astimezone(NOW.tzinfo) for at in left] == [NOW - timedelta(hours=1)]
