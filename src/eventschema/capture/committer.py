"""Group commit: the writes of concurrent capture requests go to the database together.

A request hands its work over and waits until it is committed, so its answer still means "stored". While
commits are in flight the next requests queue up, and the next commit takes them all: under load, one
transaction and one statement per table carry many requests (fewer round trips and fewer WAL flushes), and alone
a request waits for nothing. Two commits may be in flight at once, so that one is built while the other waits
for PostgreSQL. The queue is bounded: past `max_pending` events, requests wait for room.

If a merged commit fails, each request's work is retried alone, so one request whose rows cannot be written
(say, its project was deleted meanwhile) fails only itself.

On PostgreSQL the commits go through `postgres.PostgresWriter` (asyncpg, its own connections); on SQLite through
a session of the app's database (`storage.store`).
"""

import asyncio
from collections.abc import Sequence

from eventschema.capture.postgres import PostgresWriter
from eventschema.capture.storage import Work, store
from eventschema.db import Database
from eventschema.settings import Settings

MAX_PENDING_EVENTS = 100_000
CONCURRENT_COMMITS = 2

Pending = tuple[Work, "asyncio.Future[None]"]


class Committer:
    def __init__(self, settings: Settings, max_pending: int = MAX_PENDING_EVENTS) -> None:
        self._settings = settings
        self._max_pending = max_pending
        self._queue: list[Pending] = []
        self._queued_events = 0
        self._room = asyncio.Condition()
        self._flushers: set[asyncio.Task[None]] = set()
        self._writer: PostgresWriter | None = None

    async def submit(self, database: Database, work: Work) -> None:
        """Return once `work` is committed; raise what its commit raised."""
        async with self._room:
            await self._room.wait_for(lambda: self._queued_events < self._max_pending)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((work, future))
        self._queued_events += work.size
        if len(self._flushers) < CONCURRENT_COMMITS:
            flusher = asyncio.create_task(self._flush(database))
            self._flushers.add(flusher)
            flusher.add_done_callback(self._flushers.discard)
        await future

    async def _flush(self, database: Database) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            await self._commit(database, batch)
            self._queued_events -= sum(work.size for work, _ in batch)
            async with self._room:
                self._room.notify_all()

    async def _commit(self, database: Database, batch: list[Pending]) -> None:
        try:
            await self._write(database, [work for work, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            for work, future in batch:
                try:
                    await self._write(database, [work])
                except Exception as alone:
                    _settle(future, alone)
                else:
                    _settle(future, None)
            return
        for _, future in batch:
            _settle(future, None)

    async def _write(self, database: Database, works: Sequence[Work]) -> None:
        if database.dialect == "postgresql":
            if self._writer is None:
                self._writer = PostgresWriter(database.engine, upstream=bool(self._settings.upstream_url))
            await self._writer.write(works)
            return
        async with database.session(write=True) as session:
            await store(session, self._settings, works)
            await session.commit()

    async def close(self) -> None:
        """Wait for the commits in flight, then close the writer's connections."""
        while self._flushers:
            await asyncio.gather(*self._flushers, return_exceptions=True)
        if self._writer is not None:
            await self._writer.close()


def _settle(future: "asyncio.Future[None]", error: Exception | None) -> None:
    # A request that went away (its client disconnected) no longer waits for the answer.
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
