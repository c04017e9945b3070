"""serve and migrate."""

import asyncio
import os
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import func, select

from eventschema.cli.common import DatabaseURLOption, database_url, migrated
from eventschema.cli.workers import APP, SERVER_OPTIONS, Supervisor, claim_port
from eventschema.db import Database
from eventschema.models import PersonalAPIKey
from eventschema.settings import get_settings


def migrate(url: DatabaseURLOption = None) -> None:
    """Apply pending migrations."""
    migrated(database_url(url))
    typer.echo("database is up to date")


async def _key_count(url: str) -> int:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            return (await session.execute(select(func.count()).select_from(PersonalAPIKey))).scalar_one()
    finally:
        await database.dispose()


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (one per core is a good start).")] = 1,
    url: DatabaseURLOption = None,
) -> None:
    """Apply pending migrations, then serve the API."""
    target = migrated(database_url(url))
    # Workers are separate processes that read their settings from the environment.
    os.environ["EVENTSCHEMA_DATABASE_URL"] = target
    get_settings.cache_clear()
    if asyncio.run(_key_count(target)) == 0:
        typer.echo("No API keys yet. Create a first one with:  eventschema bootstrap", err=True)
    if workers == 1:
        _announce(host, port, workers)
        uvicorn.run(APP, host=host, port=port, workers=1, **SERVER_OPTIONS)
        return
    sockets = claim_port(host, port, workers)
    _announce(host, sockets[0].getsockname()[1], workers)
    if Supervisor(sockets).run() != 0:
        raise typer.Exit(1)


def _announce(host: str, port: int, workers: int) -> None:
    typer.echo(f"eventschema serving on http://{host}:{port} (workers={workers})", err=True)
