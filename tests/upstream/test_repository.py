"""The outbox's leases: a process extends or takes only the events it still holds."""

from datetime import timedelta

from sqlalchemy import select, update

from eventschema.db import Database
from eventschema.ids import uuid7
from eventschema.models import OutboxEvent, utcnow
from eventschema.upstream import repository


async def test_only_events_still_leased_are_extended_or_taken(db: Database) -> None:
    async with db.session(write=True) as session:
        await repository.enqueue(session, [(1, "phc_a", str(uuid7()), {"event": "e", "n": n}) for n in range(4)])
        now = utcnow()
        mine = now + timedelta(seconds=30)
        rows = await repository.claim(session, now, mine, 10)
        ids = [row.id for row in rows]
        # The lease of the first ran out and another process claimed it.
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.id == ids[0]).values(next_attempt_at=now + timedelta(hours=1))
        )
        await session.commit()

    longer = mine + timedelta(seconds=30)
    async with db.session(write=True) as session:
        await repository.extend(session, ids, mine, longer)
        assert await repository.take(session, ids[:2], mine) == set()
        assert await repository.take(session, ids[:3], longer) == {ids[1], ids[2]}
        await session.commit()

    async with db.session(write=False) as session:
        left = (await session.execute(select(OutboxEvent.id, OutboxEvent.next_attempt_at))).all()
    assert sorted(left) == [(ids[0], now + timedelta(hours=1)), (ids[3], longer)]
