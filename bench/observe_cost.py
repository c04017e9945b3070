"""What observing traffic costs the capture gateway's workers, measured in one process (no HTTP, no load
generator), so that it can be measured on a busy machine: CPU time per batch with and without observation.

Run from the project root (PostgreSQL on 127.0.0.1:5432, as for the tests; or `--database sqlite`):

    .venv/bin/python bench/observe_cost.py [--batches 2000] [--rounds 5] [--flush-every 400] [--unique-times]

What it does:
1. recreates the database `eventschema_observe_cost` (or a temporary SQLite file), bootstraps a project and
   creates `bench/gateway_bench.py`'s tracking plan through the API (the ASGI app called in-process);
2. builds the exact request bodies `gateway_bench.py` sends (its 64 templates of 100 events, new uuids per
   request, gzip'd), before anything is timed; with `--unique-times`, every batch is a new template, so the
   date-time properties of every event are new strings (as in real traffic; the bench's 64 templates repeat);
3. feeds them through a worker's per-batch path (`decode`, then `capture.service.ingest`: token and plan
   caches, triage and validation, the commit of its events (unless `--no-store`), and observation),
   `--concurrency` requests at a time so that commits are grouped as in a worker under load;
4. every `--flush-every` batches (a worker's batches per second at ~80,000 events/s over 2 workers is ~400),
   flushes the observer to the database alone, so its CPU is known apart;
5. alternates rounds with observation on and off (off: the observer's `observe` does nothing), and reports per
   variant the best and median CPU time (`time.process_time`) per batch, the flush's CPU per flush, and the
   garbage collector's runs per generation and their CPU.

Run with the code of another revision (`git archive REV src migrations | tar -x -C /tmp/base`, then
`PYTHONPATH=/tmp/base/src`), a gateway without an observer is measured as "off" only.

For instruction counts, which other processes' load does not change, run a few batches under callgrind, once
per variant, and subtract (setup is the same in both):

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.on .venv/bin/python bench/observe_cost.py \\
        --database sqlite --batches 200 --rounds 1 --only on
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import random
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gateway_bench import BATCH, GROUPS, PLAN, build_templates, group_body, recreate_database

DB_NAME = "eventschema_observe_cost"


class GcWatch:
    """Runs of the garbage collector per generation, and the CPU they took."""

    def __init__(self) -> None:
        self.runs = [0, 0, 0]
        self.cpu = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.runs[info["generation"]] += 1
            self.cpu += time.process_time() - self._started

    def snapshot(self) -> tuple[list[int], float]:
        return list(self.runs), self.cpu


def _body(template: list[bytes], first_uuid: int) -> bytes:
    """As `gateway_bench.build_request` without the HTTP head: the events numbered from `first_uuid`, gzip'd."""
    parts = [template[0]]
    for i, part in enumerate(template[1:]):
        parts += (b"%032x" % (first_uuid + i), part)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(b"".join(parts)) + compressor.flush()


async def _setup(kind: str) -> tuple[str, Callable[[], None]]:
    """A fresh migrated database; returns its URL and how to remove it."""
    from eventschema.migrate import upgrade

    if kind == "sqlite":
        folder = tempfile.TemporaryDirectory()
        url = f"sqlite:///{folder.name}/observe_cost.db"
        await asyncio.to_thread(upgrade, url)
        return url, folder.cleanup
    url = await recreate_database(DB_NAME)
    await asyncio.to_thread(upgrade, url)
    return url, lambda: None


async def _seed(app: Any, database: Any) -> str:
    """A project, a key, and gateway_bench's tracking plan created through the API; returns the project token."""
    from eventschema.auth import service as auth_service
    from eventschema.projects import service as projects_service

    async with database.session(write=True) as session:
        account = await projects_service.ensure_account(session, email="bench@localhost", project_name="Bench")
        key = await auth_service.create_key(
            session, email="bench@localhost", scopes=["*"], projects=None, label="bench"
        )
        project_id, token = account.project.id, account.project.api_token
        await session.commit()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/api/projects/{project_id}",
        headers={"Authorization": f"Bearer {key.value}"},
    ) as api:
        groups = {}
        for name in GROUPS:
            created = await api.post("/schema_property_groups/", json=group_body(name))
            groups[name] = created.raise_for_status().json()["id"]
        for event, (mode, linked) in PLAN.items():
            created = await api.post("/event_definitions/", json={"name": event, "enforcement_mode": mode})
            for group in linked:
                link = {"event_definition": created.raise_for_status().json()["id"], "property_group_id": groups[group]}
                (await api.post("/event_schemas/", json=link)).raise_for_status()
    return str(token)


class NoCommit:
    """Stands in for the committer with `--no-store`: the batch's rows are built (`Work`) but not written."""

    async def submit(self, _database: Any, _work: Any) -> None:
        return None

    async def close(self) -> None:
        return None


class Harness:
    def __init__(self, args: argparse.Namespace, app: Any, database: Any, token: str) -> None:
        from eventschema.capture.decoding import decode
        from eventschema.capture.service import ingest

        self.args = args
        self.database = database
        self.gateway = app.state.gateway
        self.observer = getattr(self.gateway, "observer", None)
        self.observe = self.observer.observe if self.observer is not None else None
        self.token = token
        self.decode = decode
        self.ingest = ingest
        self.limit = app.state.settings.capture_max_payload_bytes
        self.templates = build_templates(token, 64, args.invalid)
        self.round = 0
        self.observe_cpu = 0.0

    def bodies(self) -> list[bytes]:
        """This round's request bodies, with uuids no other round uses."""
        self.round += 1
        if self.args.unique_times:
            templates = build_templates(self.token, self.args.batches, self.args.invalid)
        else:
            templates = self.templates
        first = self.round << 64
        return [_body(templates[i % len(templates)], first + i * BATCH) for i in range(self.args.batches)]

    def set_observing(self, on: bool) -> None:
        if self.observer is None:
            return
        self.observer.observe = self._timed_observe if on else (lambda *_args: None)

    def _timed_observe(self, *args: Any) -> None:
        """The observer's own CPU, measured directly: the difference of two noisy totals is not enough here."""
        before = time.process_time()
        self.observe(*args)
        self.observe_cpu += time.process_time() - before

    async def _one(self, body: bytes) -> None:
        payload = self.decode(body, "application/json", "gzip", None, self.limit)
        await self.ingest(self.database, self.gateway, payload)

    async def run_round(self, on: bool, profile: cProfile.Profile | None = None) -> dict[str, Any]:
        self.set_observing(on)
        bodies = self.bodies()
        if self.observer is not None:
            await self.observer.flush()
        gc.collect()
        self.observe_cpu = 0.0
        watch = GcWatch()
        step = self.args.flush_every
        concurrency = self.args.concurrency
        flush_cpu = 0.0
        flushes = 0
        if profile is not None:
            profile.enable()
        started = time.process_time()
        for begin in range(0, len(bodies), step):
            chunk = iter(bodies[begin : begin + step])

            async def worker(chunk: Any = chunk) -> None:
                for body in chunk:
                    await self._one(body)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            if self.observer is not None and on:
                before = time.process_time()
                await self.observer.flush()
                flush_cpu += time.process_time() - before
                flushes += 1
        total = time.process_time() - started
        if profile is not None:
            profile.disable()
        runs, gc_cpu = watch.snapshot()
        gc.callbacks.remove(watch._callback)
        return {
            "per_batch_ms": total / len(bodies) * 1000,
            "flush_ms": flush_cpu / flushes * 1000 if flushes else 0.0,
            "flush_share_ms": flush_cpu / len(bodies) * 1000,
            "observe_ms": self.observe_cpu / len(bodies) * 1000,
            "gc_runs": runs,
            "gc_ms_per_batch": gc_cpu / len(bodies) * 1000,
        }


async def main_async(args: argparse.Namespace) -> None:
    from eventschema.app import create_app
    from eventschema.db import Database
    from eventschema.settings import Settings

    url, cleanup = await _setup(args.database)
    settings = Settings(database_url=url, rate_limit_enabled=False)
    database = Database(url)
    app = create_app(settings, database=database)
    try:
        token = await _seed(app, database)
        if database.dialect == "postgresql":
            app.state.plans.notified = True  # as while the server's change listener is connected
        harness = Harness(args, app, database, token)
        # What lives as long as the process is frozen once the app has started, as the server does.
        gc.freeze()
        variants = ["on", "off"] if harness.observer is not None else ["off"]
        if args.only:
            variants = [v for v in variants if v == args.only]
        # Warm caches: token, plan, the observer's memory of what the database tracks.
        for variant in variants:
            await harness.run_round(variant == "on")
        results: dict[str, list[dict[str, Any]]] = {variant: [] for variant in variants}
        profile = cProfile.Profile() if args.profile else None
        for _ in range(args.rounds):
            for variant in variants:
                watched = profile if (profile is not None and variant == args.profile_variant) else None
                results[variant].append(await harness.run_round(variant == "on", watched))
        if profile is not None:
            profile.dump_stats(args.profile)
        _report(args, results)
    finally:
        await app.state.gateway.close()
        await database.dispose()
        cleanup()


def _report(args: argparse.Namespace, results: dict[str, list[dict[str, Any]]]) -> None:
    times = "unique date-time values per batch" if args.unique_times else "gateway_bench.py's 64 templates"
    store = "events not stored" if args.no_store else "events stored"
    print(
        f"{args.database}; {args.batches} batches of {BATCH} x {args.rounds} rounds; {times}; {store}; "
        f"flush every {args.flush_every} batches; {args.concurrency} at a time"
    )
    print()
    print(
        "| variant | CPU/batch best / median | observe | flush: per flush / per batch | gc runs 0/1/2 | gc CPU/batch |"
    )
    print("|---|---|---|---|---|---|")
    for variant, rounds in results.items():
        per_batch = [r["per_batch_ms"] for r in rounds]
        observe = statistics.median(r["observe_ms"] for r in rounds)
        flush = statistics.median(r["flush_ms"] for r in rounds)
        share = statistics.median(r["flush_share_ms"] for r in rounds)
        runs = "/".join(str(round(statistics.median(r["gc_runs"][g] for r in rounds))) for g in range(3))
        gc_ms = statistics.median(r["gc_ms_per_batch"] for r in rounds)
        print(
            f"| {variant} | {min(per_batch):.3f} / {statistics.median(per_batch):.3f} ms | {observe:.3f} ms | "
            f"{flush:.2f} ms / {share:.3f} ms | {runs} | {gc_ms:.3f} ms |"
        )
    if "on" in results and "off" in results:
        # Rounds alternate, so each "on" round has an "off" round next to it, measured under similar outside load.
        pairs = [
            on["per_batch_ms"] / off["per_batch_ms"] for on, off in zip(results["on"], results["off"], strict=True)
        ]
        print()
        print(
            f"on / off, round by round: median {statistics.median(pairs):.3f} (from {min(pairs):.3f} to "
            f"{max(pairs):.3f}); observation's own CPU (observe + flush): "
            f"{statistics.median(r['observe_ms'] + r['flush_share_ms'] for r in results['on']):.3f} ms per batch"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--batches", type=int, default=2000, help="batches per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per variant, alternating")
    parser.add_argument("--flush-every", type=int, default=400, help="batches between two flushes of the observer")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--invalid", type=float, default=0.0, help="share of planned events missing a property")
    parser.add_argument("--unique-times", action="store_true", help="new date-time values in every batch")
    parser.add_argument("--no-store", action="store_true", help="do not write the events (observation still flushes)")
    parser.add_argument("--only", choices=["on", "off"], help="measure one variant only (for callgrind)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the measured rounds to FILE")
    parser.add_argument("--profile-variant", choices=["on", "off"], default="on")
    args = parser.parse_args()
    random.seed(1)
    if args.no_store:
        from eventschema.capture import service

        original = service.Gateway.__post_init__

        def without_commits(self: Any) -> None:
            original(self)
            self.committer = NoCommit()

        service.Gateway.__post_init__ = without_commits  # type: ignore[method-assign]
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
