"""The tasks each server process runs beside requests: the schema change listener, the upstream forwarder,
retention, the observer's flushes and alerts."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from eventschema.alerts.sender import Alerts
from eventschema.db import Database
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.listener import SchemaListener
from eventschema.observed.observer import Observer
from eventschema.retention import service as retention
from eventschema.settings import Settings
from eventschema.upstream.forwarder import Forwarder


@contextlib.asynccontextmanager
async def start_background_tasks(
    database: Database, settings: Settings, plans: PlanCache, observer: Observer
) -> AsyncIterator[None]:
    """Listen for schema changes on PostgreSQL (on SQLite, caches compare schema versions instead), and forward
    the outbox when an upstream is configured, delete what is past its retention, write what the gateway observed
    and send alerts. The tasks are cancelled when the app stops (the gateway's last flush follows)."""
    work: list[Coroutine[Any, Any, None]] = [
        retention.run(database, settings),
        observer.run(database),
        Alerts(database, settings).run(),
    ]
    if database.dialect == "postgresql":
        work.append(SchemaListener(database.engine, plans).run())
    if settings.upstream_url:
        work.append(Forwarder(database, settings).run())
    tasks = [asyncio.create_task(coroutine) for coroutine in work]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
