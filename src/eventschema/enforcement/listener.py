"""PostgreSQL LISTEN/NOTIFY: hear about schema changes committed by other processes and drop their cached plans,
and tell the other processes about this process's own.

One dedicated connection per process (not from the pool: it stays open and mostly idle). While it is connected
the plan cache trusts its entries; when it drops, the cache falls back to version checks and everything cached
is forgotten on reconnect, since notifications sent in between were missed.

The same connection sends this process's notifications, right after each writing transaction commits (see
`changes`), batched and with `synchronous_commit` off: a notification is a hint, not data, so its transaction
need not wait for the disk. A notification lost with a process that died just after its commit is made up for
by the version check every `HEARTBEAT_SECONDS`, which is also what notices a connection that died without a word.
"""

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from eventschema.db import driver_connect_args
from eventschema.enforcement import changes
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.repository import CHANNEL

logger = logging.getLogger("eventschema.listener")

HEARTBEAT_SECONDS = 5.0
RETRY_SECONDS = 1.0
# Names the connection in pg_stat_activity.
APPLICATION_NAME = "eventschema schema listener"
NOTIFY = "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload"
VERSIONS = (
    "SELECT project_id, max(id) AS version FROM schema_changes WHERE project_id = any($1::int[]) GROUP BY project_id"
)


class SchemaListener:
    def __init__(self, engine: AsyncEngine, plans: PlanCache, heartbeat_seconds: float | None = None) -> None:
        self._connect_args, self._connect_kwargs = driver_connect_args(engine)
        server_settings = {**self._connect_kwargs.get("server_settings", {}), "application_name": APPLICATION_NAME}
        self._connect_kwargs["server_settings"] = server_settings
        self._database_url = str(engine.sync_engine.url)
        self._plans = plans
        self._heartbeat = heartbeat_seconds or HEARTBEAT_SECONDS
        self._unsent: set[str] = set()
        self._wake = asyncio.Event()
        self.connected = asyncio.Event()

    def publish(self, payloads: Iterable[str]) -> None:
        self._unsent.update(payloads)
        self._wake.set()

    async def run(self) -> None:
        """Listen until cancelled, reconnecting whenever the connection is lost."""
        while True:
            try:
                await self._listen()
                logger.warning("schema change listener's connection closed; reconnecting")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                logger.warning("schema change listener lost its connection (%s); reconnecting", exc)
            await asyncio.sleep(RETRY_SECONDS)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(*self._connect_args, **self._connect_kwargs)
        lost = asyncio.Event()
        try:

            def on_lost(_connection: Any) -> None:
                lost.set()
                self._wake.set()

            connection.add_termination_listener(on_lost)
            await connection.execute("SET synchronous_commit TO off")
            await connection.add_listener(CHANNEL, self._on_notification)
            # What was announced while no connection listened is lost: forget the plans and credentials it could
            # have changed, and check what other caches keep against the versions now committed.
            self._plans.clear()
            changes.deliver(changes.CREDENTIALS)
            await self._check_versions(connection)
            self._plans.notified = True
            changes.add_publisher(self, self._database_url)
            self.connected.set()
            loop = asyncio.get_running_loop()
            next_check = loop.time() + self._heartbeat
            while not lost.is_set():
                await self._send(connection)
                # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation that arrives
                # as the awaited event is set, and the app could then never stop this task.
                try:
                    async with asyncio.timeout_at(next_check):
                        await self._wake.wait()
                except TimeoutError:
                    async with asyncio.timeout(self._heartbeat):
                        await self._check_versions(connection)
                    next_check = loop.time() + self._heartbeat
        finally:
            changes.remove_publisher(self)
            self._plans.notified = False
            self.connected.clear()
            connection.terminate()

    async def _send(self, connection: asyncpg.Connection) -> None:
        self._wake.clear()
        if not self._unsent:
            return
        payloads, self._unsent = sorted(self._unsent), set()
        try:
            async with asyncio.timeout(self._heartbeat):
                await connection.execute(NOTIFY, CHANNEL, payloads)
        except BaseException:
            self._unsent.update(payloads)  # sent by the next connection, if there is one
            raise

    async def _check_versions(self, connection: asyncpg.Connection) -> None:
        """Drop what caches keep of projects that have changed since they read it (compiled plans, list pages)."""
        kept = changes.cached_versions()
        projects = sorted({project_id for versions in kept for project_id in versions})
        if not projects:
            await connection.fetchval("SELECT 1")
            return
        current = {row["project_id"]: row["version"] for row in await connection.fetch(VERSIONS, projects)}
        stale = {p for versions in kept for p, version in versions.items() if current.get(p, 0) != version}
        for project_id in sorted(stale):
            changes.broadcast(project_id)

    def _on_notification(self, connection: Any, pid: int, _channel: str, payload: str) -> None:
        if pid == connection.get_server_pid():
            return  # sent by this process, whose caches heard of the change when it committed
        try:
            changes.deliver(payload)
        except ValueError:
            logger.warning("ignoring schema change notification %r", payload)
