"""PostgreSQL LISTEN: hear about schema changes committed by other processes and drop their cached plans.

One dedicated connection per process (not from the pool: it stays open and idle). While it is connected the
plan cache trusts its entries; when it drops, the cache falls back to version checks and everything cached is
forgotten on reconnect, since notifications sent in between were missed. A heartbeat query notices a
connection that died without a word.
"""

import asyncio
import logging
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


class SchemaListener:
    def __init__(self, engine: AsyncEngine, plans: PlanCache) -> None:
        self._connect_args, self._connect_kwargs = driver_connect_args(engine)
        self._plans = plans
        self.connected = asyncio.Event()

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
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(CHANNEL, self._on_notification)
            self._plans.clear()
            self._plans.notified = True
            self.connected.set()
            while not lost.is_set():
                try:
                    await asyncio.wait_for(lost.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    await asyncio.wait_for(connection.fetchval("SELECT 1"), HEARTBEAT_SECONDS)
        finally:
            self._plans.notified = False
            self.connected.clear()
            connection.terminate()

    def _on_notification(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            project_id = int(payload)
        except ValueError:
            logger.warning("ignoring schema change notification %r", payload)
            return
        changes.broadcast(project_id)
