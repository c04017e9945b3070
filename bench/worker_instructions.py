"""What a capture worker spends per batch, counted in instructions: a figure the machine's noise does not move.

Throughput on these shared 2-core machines varies by 10-20 % from run to run, more than most single changes to the
capture path are worth. This counts the instructions a worker executes per `/batch/` request instead, with
valgrind's callgrind (repeatable to about 0.1 %), so that a change can be judged on its own:

    .venv/bin/python bench/worker_instructions.py [--concurrency 8] [--batches 200]

1. recreates the database `eventschema_worker_bench`, bootstraps a project and creates `gateway_bench`'s tracking
   plan through the API of a server started for the purpose;
2. runs, under callgrind, the app in this process (no HTTP server: its ASGI entry point, with the lifespan) on
   `gateway_bench`'s gzip'd bodies of 100 events, `--concurrency` at a time, once with `--batches` batches and
   once with none; the difference divided by `--batches` is what one batch costs, start-up and warm-up excluded.
   Both runs build the same bodies, and the observer's flush is left out (it runs once a second, so under
   callgrind's slowdown it would be counted dozens of times per batch; `bench/observe_cost.py` measures it).

Events are committed to PostgreSQL as the server commits them, so PostgreSQL must be on 127.0.0.1:5432.
`PYTHONPATH=/tmp/old/src` measures another revision's code (`git archive REV src migrations | tar -x -C /tmp/old`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import gateway_bench as gb

DB_NAME = "eventschema_worker_bench"
WARMUP_BATCHES = 50
# Every run builds this many bodies, so that building them is the same in both runs.
BODIES = 1_000


def setup() -> dict[str, Any]:
    url = asyncio.run(gb.recreate_database(DB_NAME))
    executable = shutil.which("eventschema", path=str(Path(sys.executable).parent)) or "eventschema"
    boot = gb._cli(executable, "bootstrap", url=url)
    [project] = gb._cli(executable, "projects", "list", url=url)
    port = gb._free_port()
    env = {**os.environ, "EVENTSCHEMA_DATABASE_URL": url}
    server = subprocess.Popen(
        [executable, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        gb._wait_healthy(base, server)
        gb._seed_plan(base, boot["api_key"], project["id"])
    finally:
        server.terminate()
        server.wait(30)
    return {"url": url, "token": project["api_token"]}


def bodies(token: str, count: int) -> list[bytes]:
    """gzip'd bodies of gateway_bench's batches, each with new event uuids (random per run: a rerun stores them)."""
    templates = gb.build_templates(token, 16)
    first = random.getrandbits(60) << 64
    return [gb.build_body(templates[index % len(templates)], first + index * gb.BATCH) for index in range(count)]


async def _serve(state: dict[str, Any], batches: int, concurrency: int) -> float:
    os.environ["EVENTSCHEMA_DATABASE_URL"] = state["url"]
    os.environ["EVENTSCHEMA_OBSERVE_FLUSH_SECONDS"] = "1000000"
    from eventschema.app import create_app

    app = create_app()
    ready = bodies(state["token"], BODIES)[: WARMUP_BATCHES + batches]

    async def post(body: bytes) -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        headers = [(b"content-type", b"application/json"), (b"content-encoding", b"gzip"), (b"host", b"127.0.0.1")]
        scope = {
            "type": "http", "method": "POST", "path": "/batch/", "raw_path": b"/batch/", "query_string": b"",
            "headers": [*headers, (b"content-length", str(len(body)).encode())], "scheme": "http",
            "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000), "http_version": "1.1", "root_path": "",
        }  # fmt: skip
        await app(scope, receive, send)
        if statuses != [200]:
            raise SystemExit(f"a batch was answered {statuses}")

    async with app.router.lifespan_context(app):
        for body in ready[:WARMUP_BATCHES]:
            await post(body)
        queue = ready[WARMUP_BATCHES:]

        async def worker() -> None:
            while queue:
                await post(queue.pop())

        started = time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.process_time() - started


def _counted(state_file: Path, batches: int, concurrency: int, out: Path) -> subprocess.Popen[str]:
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, __file__, "--serve", str(state_file), "--batches", str(batches),
        "--concurrency", str(concurrency),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _instructions(process: subprocess.Popen[str]) -> int:
    _, errors = process.communicate()
    found = re.search(r"Collected : ([\d,]+)", errors)
    if process.returncode != 0 or found is None:
        raise SystemExit(f"the counted run failed:\n{errors[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=200, help="batches counted (at most 950)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once, as in a worker")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batches + WARMUP_BATCHES > BODIES:
        raise SystemExit(f"--batches is at most {BODIES - WARMUP_BATCHES}")
    if args.serve:
        state = json.loads(args.serve.read_text())
        cpu = asyncio.run(_serve(state, args.batches, args.concurrency))
        print(f"{cpu / max(args.batches, 1) * 1000:.3f} ms of CPU per batch")
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as folder:
        state_file = Path(folder) / "state.json"
        state_file.write_text(json.dumps(setup()))
        # Both runs at once (one per core): instructions do not depend on what else runs.
        counted = _counted(state_file, args.batches, args.concurrency, Path(folder) / "batches.out")
        empty = _counted(state_file, 0, args.concurrency, Path(folder) / "empty.out")
        per_batch = (_instructions(counted) - _instructions(empty)) / args.batches
    print(f"## Capture worker: instructions per /batch/ of {gb.BATCH} events ({args.concurrency} in flight)\n")
    print(f"{per_batch / 1e6:.2f} million instructions per batch ({args.batches} batches counted, callgrind)")


if __name__ == "__main__":
    main()
