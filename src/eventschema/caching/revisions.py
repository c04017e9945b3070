"""The revisions kept answers are checked against, read once for every request waiting at the same moment.

What a process keeps is valid while two numbers stay put: the credentials revision (the latest credential change:
keys, memberships, project API keys) and the project's schema version (the latest schema change). A request that
uses something kept reads both first. Reading them is one indexed statement, and under load many requests want
it at once; so requests join the next read instead of each making its own.

A request only ever uses a read that was *sent after it arrived*: a read in flight when it arrives may have seen
the database before the write the client just made, so the request waits for the one after it. Whatever process
made a change, the next request on every process sees it, by the order of events and not by timing.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Select, bindparam, func, select

from eventschema.db import Database, driver_connect_args
from eventschema.enforcement.repository import version_of
from eventschema.models import CredentialChange


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one read found: the credentials revision and the schema version of each project asked for."""

    credentials: int
    versions: dict[int, int]

    def version(self, project_id: int) -> int:
        return self.versions.get(project_id, 0)


Fetch = Callable[[Sequence[int]], Awaitable[Snapshot]]


APPLICATION_NAME = "eventschema-revisions"
# The credentials revision, and the schema version of each project asked for, in the order asked.
POSTGRESQL_READ = """
SELECT (SELECT coalesce(max(id), 0) FROM credential_changes),
       ARRAY(SELECT coalesce((SELECT max(s.id) FROM schema_changes s WHERE s.project_id = p.id), 0)
             FROM unnest($1::integer[]) WITH ORDINALITY AS p(id, n) ORDER BY p.n)
"""


def _statement(projects: int) -> Select[Any]:
    credentials = select(func.coalesce(func.max(CredentialChange.id), 0)).scalar_subquery()
    versions = [version_of(bindparam(f"p{index}")) for index in range(projects)]
    return select(credentials, *versions)


class Revisions:
    """Reads of the revisions, shared by the requests that wait for them together (see the module docstring)."""

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._next: asyncio.Future[Snapshot] | None = None
        self._wanted: set[int] = set()
        self._running = False
        self._task: asyncio.Task[None] | None = None  # held: the loop keeps only a weak reference
        self.reads = 0  # statements made, for tests and benchmarks

    async def read(self, project_id: int | None = None) -> Snapshot:
        """A snapshot read after this call began; it has the project's schema version when one is given."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        if project_id is not None:
            self._wanted.add(project_id)
        waiting = self._next
        if not self._running:
            self._running = True
            self._task = asyncio.get_running_loop().create_task(self._run())
        # Shielded: a request that goes away must not cancel the read the others wait for.
        return await asyncio.shield(waiting)

    async def close(self) -> None:
        """Let go of what reads hold (a connection of their own, for some)."""

    async def _run(self) -> None:
        try:
            while self._next is not None:
                future, wanted = self._next, sorted(self._wanted)
                self._next, self._wanted = None, set()
                self.reads += 1
                try:
                    snapshot = await self._fetch(wanted)
                except Exception as exc:
                    future.set_exception(exc)
                except BaseException:
                    # Shutting down: the waiting requests are told so rather than left waiting.
                    future.cancel()
                    if self._next is not None:
                        self._next.cancel()
                        self._next = None
                    raise
                else:
                    future.set_result(snapshot)
        finally:
            self._running = False


SNAPSHOT_STATE = "revisions"


async def request_snapshot(state: dict[str, Any], revisions: Revisions, project_id: int | None) -> Snapshot:
    """The request's snapshot (kept in its ASGI state): one read serves every check of a request, since it was
    sent after the request arrived and before anything the request reads or keeps."""
    kept: tuple[int | None, Snapshot] | None = state.get(SNAPSHOT_STATE)
    if kept is not None and (project_id is None or kept[0] == project_id):
        return kept[1]
    snapshot = await revisions.read(project_id)
    state[SNAPSHOT_STATE] = (project_id, snapshot)
    return snapshot


class DatabaseRevisions(Revisions):
    """`Revisions` read from the app's database, one statement per read.

    On PostgreSQL the reads go over a connection of their own (reads are one at a time, so one is enough), as one
    prepared statement: what a read costs is then little more than its round trip. On SQLite they go through the
    engine (`_statement`).
    """

    def __init__(self, database: Callable[[], Database]) -> None:
        super().__init__(self._read)
        self._database = database
        self._statements: dict[int, Select[Any]] = {}
        self._connection: asyncpg.Connection | None = None

    async def _read(self, project_ids: Sequence[int]) -> Snapshot:
        database = self._database()
        if database.dialect == "postgresql":
            return await self._read_postgresql(database, project_ids)
        statement = self._statements.get(len(project_ids))
        if statement is None:
            statement = self._statements.setdefault(len(project_ids), _statement(len(project_ids)))
        params = {f"p{index}": project_id for index, project_id in enumerate(project_ids)}
        async with database.read_connection() as connection:
            row = (await connection.execute(statement, params)).one()
        return Snapshot(int(row[0]), {project_id: int(row[i + 1]) for i, project_id in enumerate(project_ids)})

    async def _read_postgresql(self, database: Database, project_ids: Sequence[int]) -> Snapshot:
        connection = self._connection
        if connection is None or connection.is_closed():
            args, kwargs = driver_connect_args(database.engine)
            server_settings = {"application_name": APPLICATION_NAME, **kwargs.get("server_settings", {})}
            connection = self._connection = await asyncpg.connect(
                *args, **{**kwargs, "server_settings": server_settings}
            )
        try:
            row = await connection.fetchrow(POSTGRESQL_READ, list(project_ids))
        except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
            await self.close()  # the next read connects again
            raise
        assert row is not None
        return Snapshot(int(row[0]), dict(zip(project_ids, map(int, row[1]), strict=True)))

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            connection.terminate()
