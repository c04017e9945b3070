"""serve and migrate."""

import asyncio
import contextlib
import logging
import os
import shlex
import shutil
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from sqlalchemy import func, make_url, select
from uvicorn.config import STARTUP_FAILURE

from eventschema.cli.common import DatabaseURLOption, database_url, fail, migrated
from eventschema.cli.workers import Supervisor, claim_port, server_config
from eventschema.db import Database
from eventschema.logs import configure
from eventschema.logs.formatting import LogFormat
from eventschema.models import PersonalAPIKey
from eventschema.settings import Settings, get_settings

logger = logging.getLogger("eventschema.serve")


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
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, metavar="N", help="Worker processes (one per core is a good start).")
    ] = 1,
    url: DatabaseURLOption = None,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            show_default=False,
            help="Log one line per request (method, path, status, duration, client); default: "
            "$EVENTSCHEMA_ACCESS_LOG, else on.",
        ),
    ] = None,
    log_format: Annotated[
        LogFormat | None,
        typer.Option(
            metavar="text|json",
            show_default=False,
            help="json: every log line is one JSON object, for log shippers; default: $EVENTSCHEMA_LOG_FORMAT, "
            "else text.",
        ),
    ] = None,
) -> None:
    """Apply pending migrations, then serve the API."""
    given_url = url or os.environ.get("EVENTSCHEMA_DATABASE_URL")
    target = migrated(database_url(url))
    # Workers are separate processes that read their settings from the environment.
    os.environ["EVENTSCHEMA_DATABASE_URL"] = target
    if access_log is not None:
        os.environ["EVENTSCHEMA_ACCESS_LOG"] = str(access_log).lower()
    if log_format is not None:
        os.environ["EVENTSCHEMA_LOG_FORMAT"] = log_format
    settings = _settings()
    configure(settings.log_format, settings.log_level)
    sockets = claim_port(host, port, workers)
    if asyncio.run(_key_count(target)) == 0:
        logger.warning("No API keys yet. Create a first one with: %s", _bootstrap_command(given_url))
    logger.info("serving on http://%s:%d (workers=%d)", host, sockets[0].getsockname()[1], workers)
    if workers == 1:
        _serve_here(sockets[0])
    elif Supervisor(sockets).run() != 0:
        raise typer.Exit(1)


def _settings() -> Settings:
    """The settings, checked before any worker starts: a bad one is a one-line error, not a traceback per worker."""
    get_settings.cache_clear()
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"EVENTSCHEMA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        fail(f"invalid setting: {problems}", 2)
        raise  # unreachable: fail() exits


def _serve_here(sock: socket.socket) -> None:
    """One worker: this process serves, on the socket claim_port bound."""
    server = uvicorn.Server(server_config())
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    if not server.started:
        raise typer.Exit(STARTUP_FAILURE)


def _bootstrap_command(given_url: str | None) -> str:
    """`eventschema bootstrap` as the user can run it from here: the executable by the name that finds it (bare
    when it is on PATH, else relative to the current directory, as in `.venv/bin/eventschema`), with the database
    URL when it was given and holds no password."""
    executable = Path(sys.argv[0]).absolute()
    found = shutil.which(executable.name)
    if not executable.is_file():
        command = "eventschema"
    elif found and Path(found).absolute() == executable:
        command = executable.name
    else:
        try:
            relative = str(executable.relative_to(Path.cwd()))
            command = relative if os.sep in relative else f".{os.sep}{relative}"
        except ValueError:
            command = str(executable)
    command = f"{shlex.quote(command)} bootstrap"
    if given_url is None:
        return command
    if make_url(given_url).password is None:
        return f"{command} --database-url {shlex.quote(given_url)}"
    return f"{command}  (with this EVENTSCHEMA_DATABASE_URL)"
