"""Running the real `eventschema` executable, and checking its work through the API in-process."""

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database

EXECUTABLE = shutil.which("eventschema", path=str(Path(sys.executable).parent)) or shutil.which("eventschema")
TIMEOUT = 60


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """The single JSON document a `--json` command printed (exactly one line)."""
        assert self.returncode == 0, self.stderr
        lines = self.stdout.splitlines()
        assert len(lines) == 1, self.stdout
        return json.loads(lines[0])


def cli_env(database_url: str | None, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without any EVENTSCHEMA_* setting, plus the database URL if given and `extra_env`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("EVENTSCHEMA_")}
    if database_url is not None:
        env["EVENTSCHEMA_DATABASE_URL"] = database_url
    return {**env, **(extra_env or {})}


async def run_cli(*args: str, database_url: str | None, cwd: Path) -> Result:
    assert EXECUTABLE, "the eventschema console script is not installed"
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=cli_env(database_url),
        cwd=cwd,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode is not None
    return Result(process.returncode, stdout.decode(), stderr.decode())


def run_cli_sync(*args: str, database_url: str | None, cwd: Path, extra_env: dict[str, str] | None = None) -> Result:
    assert EXECUTABLE, "the eventschema console script is not installed"
    completed = subprocess.run(
        [EXECUTABLE, *args],
        capture_output=True,
        text=True,
        env=cli_env(database_url, extra_env),
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


async def api(database_url: str, method: str, path: str, key: str | None, **kwargs: Any) -> httpx.Response:
    """One request to an in-process app on the database the CLI wrote to."""
    database = Database(database_url, pool_size=1)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        async with app_client(create_app(app_settings(), database=database)) as client:
            return await client.request(method, path, headers=headers, **kwargs)
    finally:
        await database.dispose()


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of each back end the suite runs against: a new SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    url, name = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(name)
