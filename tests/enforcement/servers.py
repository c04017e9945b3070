"""Real servers on 127.0.0.1 for the tests: `eventschema serve` processes, and ASGI apps (fake upstreams, test
pages, the app itself) behind uvicorn in the test's own event loop."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

from tests.cli.helpers import EXECUTABLE, cli_env

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def uvicorn_serving(app: ASGIApp, port: int | None = None) -> AsyncIterator[str]:
    """`app` behind a real uvicorn server on `port` (a free one by default) of 127.0.0.1: its base URL. Stopped,
    and waited for, on the way out."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port or free_port(), lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def serving(database_url: str, cwd: Path, **environment: str) -> AsyncIterator[str]:
    """A server on a free port (its base URL), stopped (and waited for) on the way out."""
    assert EXECUTABLE, "the eventschema console script is not installed"
    port = free_port()
    env = {**cli_env(database_url), "EVENTSCHEMA_RATE_LIMIT_ENABLED": "false", **environment}
    log = (cwd / f"server-{port}.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE, "serve", "--host", "127.0.0.1", "--port", str(port), env=env, cwd=cwd, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base, process)
        yield base
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


async def _wait_healthy(base: str, process: asyncio.subprocess.Process) -> None:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT
    async with httpx.AsyncClient() as http:
        while True:
            assert process.returncode is None, f"the server at {base} exited with {process.returncode}"
            try:
                if (await http.get(f"{base}/_health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert asyncio.get_running_loop().time() < deadline, f"the server at {base} did not start"
            await asyncio.sleep(0.1)
