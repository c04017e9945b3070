"""A real `eventschema serve` worker holds no more of an oversized /api/ body than its limit allows."""

import asyncio
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.cli.helpers import EXECUTABLE, cli_env
from tests.conftest import Backend
from tests.enforcement.servers import free_port

BODY_BYTES = 100 * 1024 * 1024
CHUNK = 1024 * 1024
ALLOWED_GROWTH_KB = 50 * 1024


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


async def hundred_megabytes() -> AsyncIterator[bytes]:
    """A valid JSON body, so without a limit it would be read and parsed whole."""
    head, tail = b'{"name": "big", "description": "', b'"}'
    yield head
    filler = BODY_BYTES - len(head) - len(tail)
    for _ in range(filler // CHUNK):
        yield b"x" * CHUNK
    yield b"x" * (filler % CHUNK) + tail


@contextmanager
def serve(database_url: str, cwd: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """One worker: `serve` runs uvicorn in its own process then, so its pid is the worker's."""
    assert EXECUTABLE, "the eventschema console script is not installed"
    port = free_port()
    log = (cwd / "server.log").open("wb")
    process = subprocess.Popen(
        [EXECUTABLE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=cli_env(database_url),
        cwd=cwd,
        stdout=log,
        stderr=log,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def wait_healthy(http: httpx.AsyncClient, base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        assert process.poll() is None, "the server exited"
        try:
            if (await http.get(f"{base}/_health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("the server did not start")


async def test_a_100_mb_body_is_refused_in_bounded_memory(backend: Backend, tmp_path: Path) -> None:
    with serve(backend.url, tmp_path) as (process, base):
        async with httpx.AsyncClient(timeout=120) as http:
            await wait_healthy(http, base, process)
            url = f"{base}/api/projects/1/event_definitions/"
            warm_up = await http.post(url, json={"name": "warm-up"})
            assert warm_up.status_code == 401
            start = memory_kb(process.pid)

            declared = await http.post(
                url,
                content=hundred_megabytes(),
                headers={"Content-Type": "application/json", "Content-Length": str(BODY_BYTES)},
            )
            streamed = await http.post(url, content=hundred_megabytes(), headers={"Content-Type": "application/json"})
            unknown_key = await http.post(
                url,
                content=hundred_megabytes(),
                headers={"Content-Type": "application/json", "Authorization": "Bearer phx_unknown"},
            )
            after = memory_kb(process.pid)

    assert after["VmHWM"] - start["VmRSS"] <= ALLOWED_GROWTH_KB, (start, after)
    assert (declared.status_code, declared.json()["code"]) == (413, "request_too_large")
    assert (streamed.status_code, streamed.json()["code"]) == (413, "request_too_large")
    # A key in the header is checked before the body is read: an unknown one is refused as it is.
    assert (unknown_key.status_code, unknown_key.json()["code"]) == (401, "authentication_failed")
