"""The capture write path on PostgreSQL: every table in one transaction, connections kept and replaced when they
die, errors with the meaning they have elsewhere."""

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from eventschema.capture import postgres
from eventschema.capture.postgres import APPLICATION_NAME, PostgresWriter, WriterUnavailable
from eventschema.capture.storage import UnknownProject, Work
from eventschema.capture.triage import triage
from eventschema.db import Database
from eventschema.enforcement.cache import PlanCache
from eventschema.models import EventDefinition, EventLogEntry, OutboxEvent, QuarantinedEvent, ViolationCount, utcnow
from tests.enforcement.helpers import define, event
from tests.factories import Account

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

INCOMPLETE = {"plan": "pro"}  # "signed up" requires plan and seats
COMPLETE = {"plan": "pro", "seats": 3}


async def _work(db: Database, project_id: int, events: list[dict]) -> Work:
    async with db.session(write=False) as session:
        plan = await PlanCache(64 * 1024 * 1024).get(session, project_id)
    received_at = utcnow()
    result = triage(plan, events, received_at)
    return Work(project_id, "phc_x", received_at, result, sorted(result.names))


async def _count(db: Database, model: type) -> int:
    async with db.session(write=False) as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def _writer_backends(db: Database) -> set[int]:
    """The server processes of capture writers' connections to this database."""
    async with db.engine.connect() as connection:
        query = text("SELECT pid FROM pg_stat_activity WHERE application_name = :name AND datname = current_database()")
        return set((await connection.execute(query, {"name": APPLICATION_NAME})).scalars())


async def test_writes_every_table_in_one_transaction(client, db: Database, account: Account) -> None:
    await define(client, account, "signed up", mode="reject")
    await define(client, account, "page viewed", mode="warn", group="page")
    events = [
        event("signed up", **COMPLETE),
        event("signed up", **INCOMPLETE),
        event("page viewed", **INCOMPLETE),
        event("never defined"),
    ]
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        await writer.write([await _work(db, account.project_id, events)])
    finally:
        await writer.close()

    async with db.session(write=False) as session:
        logged = (await session.execute(select(EventLogEntry.event).order_by(EventLogEntry.id))).scalars().all()
        held = (await session.execute(select(QuarantinedEvent))).scalars().all()
        counts = (await session.execute(select(ViolationCount.event, ViolationCount.count))).all()
        definitions = (await session.execute(select(EventDefinition.name, EventDefinition.last_seen_at))).all()
    assert logged == ["signed up", "page viewed", "never defined"]
    assert [(h.event, h.properties, h.reasons) for h in held] == [("signed up", INCOMPLETE, "missing_required")]
    assert sorted(counts) == [("page viewed", 1), ("signed up", 1)]
    assert {name for name, _ in definitions} == {"signed up", "page viewed", "never defined"}
    assert all(seen is not None for _, seen in definitions)


async def test_counters_add_up_across_writes(client, db: Database, account: Account) -> None:
    await define(client, account, "signed up", mode="warn")
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        for _ in range(3):
            await writer.write([await _work(db, account.project_id, [event("signed up", **INCOMPLETE)] * 2)])
    finally:
        await writer.close()

    async with db.session(write=False) as session:
        assert (await session.execute(select(ViolationCount.count))).scalars().all() == [6]


async def test_with_an_upstream_accepted_events_go_to_the_outbox(db: Database, account: Account) -> None:
    writer = PostgresWriter(db.engine, upstream=True)
    try:
        await writer.write([await _work(db, account.project_id, [event("a"), event("b")])])
    finally:
        await writer.close()

    async with db.session(write=False) as session:
        payloads = (await session.execute(select(OutboxEvent.payload).order_by(OutboxEvent.id))).scalars().all()
    assert [payload["event"] for payload in payloads] == ["a", "b"]
    assert await _count(db, EventLogEntry) == 0


async def test_works_of_a_deleted_project_are_refused_and_the_connection_is_kept(
    db: Database, account: Account
) -> None:
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        good = await _work(db, account.project_id, [event("good")])
        orphan = await _work(db, account.project_id, [event("orphan")])
        orphan.project_id += 1000  # no such project

        with pytest.raises(UnknownProject) as raised:
            await writer.write([good, orphan])
        assert raised.value.missing == {account.project_id + 1000}
        assert await _count(db, EventLogEntry) == 0
        assert writer.idle == 1

        await writer.write([good])
        assert await _count(db, EventLogEntry) == 1
    finally:
        await writer.close()


async def test_a_refused_row_is_an_integrity_error_and_nothing_is_written(
    client, db: Database, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    await define(client, account, "signed up", mode="reject")
    real_rows = postgres._quarantine_rows

    def twice(batch):
        # Two quarantined events with the same id (and different uuids): the primary key refuses the second.
        row = real_rows(batch)[0]
        return [row, (row[0], row[1], str(uuid.uuid4()), *row[3:])]

    monkeypatch.setattr(postgres, "_quarantine_rows", twice)
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        work = await _work(db, account.project_id, [event("accepted"), event("signed up", **INCOMPLETE)])
        with pytest.raises(IntegrityError):
            await writer.write([work])
        assert (await _count(db, EventLogEntry), await _count(db, QuarantinedEvent)) == (0, 0)
        assert writer.idle == 1
    finally:
        await writer.close()


async def test_a_connection_that_died_while_idle_is_replaced(db: Database, account: Account) -> None:
    others = await _writer_backends(db)
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        await writer.write([await _work(db, account.project_id, [event("before")])])
        [pid] = await _writer_backends(db) - others
        async with db.engine.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        await writer.write([await _work(db, account.project_id, [event("after")])])

        assert await _count(db, EventLogEntry) == 2
        assert writer.idle == 1
    finally:
        await writer.close()


async def test_close_ends_its_connections(db: Database, account: Account) -> None:
    others = await _writer_backends(db)
    writer = PostgresWriter(db.engine, upstream=False)
    await writer.write([await _work(db, account.project_id, [event("e")])])
    assert len(await _writer_backends(db) - others) == 1

    await writer.close()

    assert writer.idle == 0
    assert await _writer_backends(db) - others == set()


async def test_an_unreachable_database_is_unavailable(db: Database, account: Account) -> None:
    unreachable = Database(db.engine.url.set(port=1).render_as_string(hide_password=False).replace("+asyncpg", ""))
    writer = PostgresWriter(unreachable.engine, upstream=False)
    try:
        with pytest.raises(WriterUnavailable) as raised:
            await writer.write([await _work(db, account.project_id, [event("e")])])
    finally:
        await writer.close()
        await unreachable.dispose()
    # A ConnectionError: the app answers it with 503, as for any database outage.
    assert isinstance(raised.value, ConnectionError)


async def test_the_url_s_prepared_statement_cache_size_is_honoured(db: Database, account: Account) -> None:
    # ?prepared_statement_cache_size=0 (for PgBouncer in transaction mode) is SQLAlchemy's name for asyncpg's
    # statement_cache_size; the writer's own connections take it too.
    url = db.engine.url.update_query_dict({"prepared_statement_cache_size": "0"})
    database = Database(url.render_as_string(hide_password=False).replace("+asyncpg", ""))
    writer = PostgresWriter(database.engine, upstream=False)
    try:
        await writer.write([await _work(db, account.project_id, [event("e")])])
        assert await _count(db, EventLogEntry) == 1
    finally:
        await writer.close()
        await database.dispose()


@pytest.mark.parametrize("upstream", [False, True])
async def test_a_resent_event_is_skipped_after_copy_meets_it(
    client, db: Database, account: Account, upstream: bool
) -> None:
    await define(client, account, "signed up", mode="reject")
    first = [{**event("a"), "uuid": str(uuid.uuid4())}, {**event("signed up", **INCOMPLETE), "uuid": str(uuid.uuid4())}]
    again = [*first, {**event("b"), "uuid": str(uuid.uuid4())}]
    writer = PostgresWriter(db.engine, upstream=upstream)
    try:
        await writer.write([await _work(db, account.project_id, first)])
        # COPY fails on the stored uuids; the writer writes the batch again, skipping them.
        await writer.write([await _work(db, account.project_id, again), await _work(db, account.project_id, again)])
        assert writer.idle == 1
    finally:
        await writer.close()

    stored = OutboxEvent if upstream else EventLogEntry
    assert (await _count(db, stored), await _count(db, QuarantinedEvent)) == (2, 1)


TIMES = [
    "0001-01-01T00:00:00+00:00",
    "1999-12-31T23:59:59.999999+00:00",
    "2000-01-01T00:00:00+00:00",
    "2026-11-30T15:04:05.123456+00:00",
    "9999-12-31T23:59:59.999999+00:00",
]


@pytest.mark.parametrize("resent", [False, True])
async def test_times_are_written_to_the_microsecond_at_both_ends_of_the_calendar(
    client, db: Database, account: Account, resent: bool
) -> None:
    """The writer sends times as PostgreSQL's microseconds since 2000, through COPY and through the INSERT that
    skips resent events, in every table's time columns."""
    await define(client, account, "signed up", mode="reject")
    events = [{**event("a"), "timestamp": at, "uuid": str(uuid.uuid4())} for at in TIMES]
    held = {**event("signed up", **INCOMPLETE), "uuid": str(uuid.uuid4())}
    writer = PostgresWriter(db.engine, upstream=False)
    try:
        earlier = await _work(db, account.project_id, events[:1])
        work = await _work(db, account.project_id, [*events, held])
        if resent:
            await writer.write([earlier])  # so that COPY meets a stored uuid and the INSERT writes the rest
        await writer.write([work])
    finally:
        await writer.close()

    async with db.session(write=False) as session:
        query = select(EventLogEntry.timestamp, EventLogEntry.received_at).order_by(EventLogEntry.timestamp)
        logged = (await session.execute(query)).all()
        quarantined = (await session.execute(select(QuarantinedEvent.received_at))).scalars().all()
        seen = (await session.execute(select(EventDefinition.last_seen_at))).scalars().all()
        hours = (await session.execute(select(ViolationCount.hour))).scalars().all()
    assert [at.isoformat() for at, _ in logged] == TIMES
    first = earlier.received_at if resent else work.received_at
    assert [received for _, received in logged] == [first] + [work.received_at] * (len(TIMES) - 1)
    assert quarantined == [work.received_at]
    assert set(seen) == {work.received_at}
    assert hours == [work.received_at.replace(minute=0, second=0, microsecond=0)]
