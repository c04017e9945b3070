"""Generated code and the plan document through the API, first request and repeated, for a 1,000-event plan.

Run from the project root:
    PYTHONPATH=src .venv/bin/python bench/generated_responses_bench.py [DATABASE_URL] [--repeats 21]

Seeds a fresh database (a temporary SQLite file unless DATABASE_URL is given; it is migrated and project 1's
plan replaced, as `bench/seed.py` does) with 1,000 event definitions, 3,000 property groups x 12 properties and
3,000 event schemas, then sends every request in process (the app behind httpx's ASGI transport, no sockets).
"first" is the first request for a representation after the plan changed (it builds it); "repeated" is the
median of the next requests, which the response cache answers after one plan-revision query. Both are the
time the app took (from the request reaching the app to the last byte of the answer), next to a baseline
measured in the same run: `GET /api/projects/1/` (a small answer with the same authentication). Target:
repeated under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from seed import seed  # bench/seed.py, beside this script

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.migrate import upgrade
from eventschema.settings import Settings

PATHS = [
    "event_definitions/typescript/",
    "event_definitions/python/",
    "event_definitions/golang/",
    "event_definitions/json/",
    "event_definitions/jsonschema/",
    "plan/",
    "plan/?format=yaml",
]


class Timed:
    """Times each request inside the app, as a server would (no client or transport work)."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        started = time.perf_counter()
        await self.app(scope, receive, send)  # type: ignore[operator]
        self.last = time.perf_counter() - started


async def run(url: str, repeats: int) -> None:
    key = await seed(url, 1000, 3000, 12, 3000)
    database = Database(url)
    app = create_app(Settings(rate_limit_enabled=False, database_url=url), database=database)
    timed = Timed(app)
    headers = {"Authorization": f"Bearer {key}"}
    rows = []
    transport = httpx.ASGITransport(app=timed)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://b") as client:

        async def once(path: str) -> tuple[float, int]:
            response = await client.get(f"/api/projects/1/{path}", headers=headers)
            assert response.status_code == 200, response.text
            return timed.last, len(response.content)

        for _ in range(3):
            await once("")
        baseline = statistics.median([(await once(""))[0] for _ in range(repeats)])
        for path in PATHS:
            first, size = await once(path)
            repeated = statistics.median([(await once(path))[0] for _ in range(repeats)])
            rows.append((path, first, repeated, size))
    await database.dispose()
    print(f"database: {url.split('://')[0]}; baseline GET /api/projects/1/: {baseline * 1000:.1f} ms\n")
    print("| request | first | repeated | repeated x baseline | body |")
    print("|---|---:|---:|---:|---:|")
    for path, first, repeated, size in rows:
        print(
            f"| `{path}` | {first * 1000:.0f} ms | {repeated * 1000:.1f} ms | {repeated / baseline:.2f} "
            f"| {size / 1e6:.1f} MB |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database_url", nargs="?")
    parser.add_argument("--repeats", type=int, default=21)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        upgrade(url)
        asyncio.run(run(url, arguments.repeats))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
