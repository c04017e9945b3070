"""Capture gateway throughput: events/s accepted end to end through /batch/, and the latency of a batch.

Run from the project root (PostgreSQL on 127.0.0.1:5432, as for the tests):

    .venv/bin/python bench/gateway_bench.py [--seconds 20] [--connections 16] [--workers 2] [--invalid 0.1]

What it does, all on this machine:
1. recreates the database `eventschema_gateway_bench`, bootstraps a project and serves it with the production
   command (`eventschema serve --workers N`), events going to the local event log;
2. creates a realistic tracking plan through the API: 6 events (reject, warn and allow) linked to 1 to 3
   property groups each, 16 properties in all, plus 4 SDK events nobody defined;
3. from a second process, sends gzip'd /batch/ requests of 100 events (as posthog-python sends them: 10 to 21
   properties each, `$`-properties included, about 550 bytes of JSON) over N keep-alive connections for the
   given time, after a warm-up, with raw asyncio sockets and requests built before the server is loaded, so that
   the client costs little (its CPU use is reported); each request has new event uuids (a resent event is stored
   once), and its body is gzip'd (level 1), all before the clock starts (see PREBUILT_PER_SECOND);
4. stops the server and checks that the event log holds exactly the events that were acknowledged; over the
   measured time it also reads (from /proc) the CPU used by the server's processes and by PostgreSQL per batch,
   and how busy the machine was with other processes, which tells a run on a shared machine from a clean one;
5. as the baseline, writes the same rows straight into PostgreSQL for the same time with as many connections,
   the way the gateway writes them (asyncpg COPY, one transaction per 100 rows, each event with a new uuid
   numbered as the load generator numbers them) but without HTTP, decoding or checks; it reports the CPU per
   batch of its writer and of PostgreSQL too. The ratio of the two says what the gateway costs on top of the
   database; both are measured in the same run, since these machines are shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("EVENTSCHEMA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = "eventschema_gateway_bench"
BATCH = 100
WARMUP_SECONDS = 3.0

PLAN: dict[str, tuple[str, list[str]]] = {
    # event -> (enforcement mode, linked groups)
    "signed_up": ("reject", ["account", "client"]),
    "purchase_completed": ("reject", ["order", "account", "client"]),
    "subscription_changed": ("reject", ["account", "client"]),
    "page_viewed": ("warn", ["page", "client"]),
    "feature_used": ("warn", ["client"]),
    "search_performed": ("allow", ["page", "client"]),
}
GROUPS: dict[str, list[tuple[str, str, bool]]] = {
    "account": [("plan", "String", True), ("seats", "Numeric", True), ("trial", "Boolean", False)],
    "order": [
        ("amount", "Numeric", True),
        ("currency", "String", True),
        ("items", "Object", True),
        ("coupon", "String", False),
        ("ordered_at", "DateTime", True),
    ],
    "page": [("path", "String", True), ("duration_ms", "Numeric", False), ("referrer", "String", False)],
    "client": [
        ("app_version", "String", True),
        ("platform", "String", True),
        ("experiment", "String", False),
        ("signup_at", "DateTime", False),
        ("is_internal", "Boolean", False),
    ],
}
UNDEFINED_EVENTS = ["$pageview", "$autocapture", "$identify", "$pageleave"]


def _value(kind: str, rng: random.Random) -> Any:
    return {
        "String": lambda: rng.choice(["free", "pro", "team", "enterprise"]),
        "Numeric": lambda: rng.randint(1, 500),
        "Boolean": lambda: rng.random() < 0.5,
        "DateTime": lambda: datetime.now(UTC).isoformat(),
        "Object": lambda: [{"sku": f"sku-{rng.randint(1, 99)}", "qty": rng.randint(1, 3)}],
    }[kind]()


def make_event(rng: random.Random, invalid: float = 0.0) -> dict[str, Any]:
    """An event with the properties posthog-python adds and those its schema declares; with probability
    `invalid`, an event of the tracking plan misses one of its required properties (warn: marked and counted,
    reject: quarantined)."""
    name = rng.choice([*PLAN, *UNDEFINED_EVENTS])
    properties: dict[str, Any] = {
        "$lib": "posthog-python",
        "$lib_version": "7.0.0",
        "$geoip_disable": True,
        "$current_url": f"https://app.example.com/{rng.choice(['home', 'pricing', 'settings'])}",
        "$session_id": f"{rng.getrandbits(64):016x}",
        "$device_id": f"{rng.getrandbits(64):016x}",
        "$os": rng.choice(["Mac OS X", "Windows", "Linux"]),
        "$browser": rng.choice(["Chrome", "Firefox", "Safari"]),
    }
    for group in PLAN.get(name, ("", ["client"]))[1]:
        for prop, kind, required in GROUPS[group]:
            if required or rng.random() < 0.6:
                properties[prop] = _value(kind, rng)
    if name in PLAN and rng.random() < invalid:
        required = [prop for group in PLAN[name][1] for prop, _kind, needed in GROUPS[group] if needed]
        del properties[rng.choice(required)]
    return {
        "event": name,
        "distinct_id": f"user-{rng.randint(1, 50_000)}",
        "properties": properties,
        "timestamp": datetime.now(UTC).isoformat(),
        "uuid": f"{rng.getrandbits(128):032x}",
        "type": "capture",
        "library": "posthog-python",
    }


UUID_SLOT = b"%%UUID%%"


def build_templates(token: str, count: int, invalid: float = 0.0) -> list[list[bytes]]:
    """JSON bodies of BATCH events each, split where each event's `uuid` goes.

    Every request sent gets new uuids (the gateway stores a resent event once), so each body is completed and
    gzip'd for its request (`build_body`).
    """
    rng = random.Random(42)
    templates = []
    for _ in range(count):
        batch = [{**make_event(rng, invalid), "uuid": UUID_SLOT.decode()} for _ in range(BATCH)]
        templates.append(orjson.dumps({"api_key": token, "batch": batch, "sent_at": None}).split(UUID_SLOT))
    return templates


def build_body(template: list[bytes], first_uuid: int) -> bytes:
    """A request body: the template's events with uuids numbered from `first_uuid`, gzip'd."""
    uuids = [b"%032x" % (first_uuid + i) for i in range(len(template) - 1)]
    parts = [template[0]]
    for uuid, part in zip(uuids, template[1:], strict=True):
        parts += (uuid, part)
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(b"".join(parts)) + compressor.flush()


def build_request(host: str, template: list[bytes], first_uuid: int) -> bytes:
    """A complete HTTP/1.1 request of `build_body`."""
    body = build_body(template, first_uuid)
    head = (
        f"POST /batch/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


# --- the load generator (runs in its own process) ---------------------------------------------------------


# Requests built before the measured time, per second of it (all connections together): more than the baseline
# reaches on these machines. Building one (new uuids, gzip) costs ~0.4 ms of CPU, which the baseline does not pay;
# built as sent, they took ~20 % of a core from the server. Past these, a connection builds them as it sends.
PREBUILT_PER_SECOND = 1_000


def _prebuilt(args: tuple[str, list[list[bytes]], int, int, int]) -> list[bytes]:
    host, templates, number, first_index, count = args
    return [
        build_request(host, templates[(first_index + sent) % len(templates)], (number << 64) + sent * BATCH)
        for sent in range(count)
    ]


async def _connection(
    port: int, number: int, ready: list[bytes], templates: list[list[bytes]], start: float, stop: float,
    out: dict[str, Any],
) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    host = f"127.0.0.1:{port}"
    loop = asyncio.get_running_loop()
    sent = 0
    while (now := loop.time()) < stop:
        if sent < len(ready):
            request = ready[sent]
        else:
            # uuids unique across connections: the connection's number in the high bits.
            request = build_request(host, templates[(number + sent) % len(templates)], (number << 64) + sent * BATCH)
            out["built_late"] += 1
        writer.write(request)
        sent += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        await reader.readexactly(length)
        done = loop.time()
        ok = head.startswith(b"HTTP/1.1 200")
        out["acknowledged" if ok else "failed"] += BATCH
        if now >= start:
            out["latencies"].append(done - now)
            out["measured"] += BATCH if ok else 0
    writer.close()


async def _load(
    port: int, seconds: float, connections: int, templates: list[list[bytes]], ready: list[list[bytes]]
) -> dict[str, Any]:
    out: dict[str, Any] = {"acknowledged": 0, "failed": 0, "measured": 0, "built_late": 0, "latencies": []}
    loop = asyncio.get_running_loop()
    start = loop.time() + WARMUP_SECONDS
    stop = start + seconds
    cpu = time.process_time()
    await asyncio.gather(*(_connection(port, n, ready[n], templates, start, stop, out) for n in range(connections)))
    out["client_cpu"] = (time.process_time() - cpu) / (loop.time() - start + WARMUP_SECONDS)
    return out


def client_main(port: int, token: str, seconds: float, connections: int, invalid: float) -> None:
    """Builds its requests (on every core: the server waits), says `ready` on a line, loads the server, and
    writes its result as JSON."""
    import multiprocessing

    import uvloop

    templates = build_templates(token, 64, invalid)
    count = -(-int(PREBUILT_PER_SECOND * (seconds + WARMUP_SECONDS)) // connections)
    host = f"127.0.0.1:{port}"
    with multiprocessing.Pool() as pool:
        ready = pool.map(_prebuilt, [(host, templates, n, n, count) for n in range(connections)])
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    result = uvloop.run(_load(port, seconds, connections, templates, ready))
    sys.stdout.write(json.dumps(result))


# --- the baseline: the same rows, straight into PostgreSQL ------------------------------------------------

_COLUMNS = ["project_id", "uuid", "event", "distinct_id", "properties", "timestamp", "received_at"]


async def _baseline(url: str, project_id: int, seconds: float, connections: int) -> tuple[float, float, float]:
    """Rows as the gateway writes them, each transaction's with new uuids numbered as the load generator's (the
    connection's number in the high bits), so the unique index on (project_id, uuid) costs both the same."""
    rng = random.Random(7)
    batches = []
    for _ in range(64):
        events = [make_event(rng) for _ in range(BATCH)]
        now = datetime.now(UTC)
        batches.append(
            [
                (
                    project_id,
                    e["event"],
                    e["distinct_id"],
                    orjson.dumps(e["properties"]).decode(),
                    datetime.fromisoformat(e["timestamp"]),
                    now,
                )
                for e in events
            ]
        )
    inserted = 0

    async def insert_for(connection: asyncpg.Connection, number: int, stop: float) -> None:
        nonlocal inserted
        index = random.randrange(len(batches))
        first = number << 64
        while time.monotonic() < stop:
            records = [
                (project, "%032x" % (first + i), event, distinct_id, properties, timestamp, received_at)
                for i, (project, event, distinct_id, properties, timestamp, received_at) in enumerate(
                    batches[index % len(batches)]
                )
            ]
            async with connection.transaction():
                await connection.copy_records_to_table("event_log", records=records, columns=_COLUMNS)
            index += 1
            first += BATCH
            inserted += BATCH

    # Connected first, and PostgreSQL's CPU read before they close (their backends' CPU goes with them).
    opened = [await asyncpg.connect(url) for _ in range(connections)]
    try:
        began, postgres, own = time.monotonic(), _cpu_seconds(_postgres_pids()), time.process_time()
        # Numbered past the load generator's connections: the event log already holds their uuids.
        await asyncio.gather(*(insert_for(c, connections + n, began + seconds) for n, c in enumerate(opened)))
        ended, postgres, own = time.monotonic(), _cpu_seconds(_postgres_pids()) - postgres, time.process_time() - own
    finally:
        for connection in opened:
            await connection.close()
    batches_written = inserted / BATCH
    return inserted / (ended - began), own / batches_written, postgres / batches_written


# --- where the CPU goes (Linux /proc) ---------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in map(int, children):
        found += [child, *_descendants(child)]
    return found


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def _busy_seconds() -> float:
    """CPU time spent by the whole machine (all cores), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICKS


def _postgres_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


class CpuWindow:
    """CPU seconds used by the server's processes, PostgreSQL's and the whole machine over a window."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.start = self._read()

    def _read(self) -> tuple[float, float, float, float]:
        server = [self.server_pid, *_descendants(self.server_pid)]
        return _cpu_seconds(server), _cpu_seconds(_postgres_pids()), _busy_seconds(), time.monotonic()

    def close(self) -> dict[str, float]:
        end = self._read()
        server, postgres, busy, wall = (b - a for a, b in zip(self.start, end, strict=True))
        return {"server": server, "postgres": postgres, "busy": busy, "wall": wall}


# --- orchestration ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def recreate_database(name: str = DB_NAME) -> str:
    """An empty PostgreSQL database of that name (dropped first if it exists); returns its URL."""
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _cli(executable: str, *args: str, url: str) -> Any:
    done = subprocess.run(
        [executable, *args, "--json", "--database-url", url], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def group_body(name: str) -> dict[str, Any]:
    """The API body that creates the plan's property group `name`."""
    properties = [{"name": n, "property_type": t, "is_required": r} for n, t, r in GROUPS[name]]
    return {"name": name, "properties": properties}


def _seed_plan(base: str, api_key: str, project_id: int) -> None:
    with httpx.Client(
        base_url=f"{base}/api/projects/{project_id}", headers={"Authorization": f"Bearer {api_key}"}
    ) as api:
        groups = {}
        for name in GROUPS:
            groups[name] = api.post("/schema_property_groups/", json=group_body(name)).raise_for_status().json()["id"]
        for event, (mode, linked) in PLAN.items():
            definition = api.post(
                "/event_definitions/", json={"name": event, "enforcement_mode": mode}
            ).raise_for_status()
            for group in linked:
                link = {"event_definition": definition.json()["id"], "property_group_id": groups[group]}
                api.post("/event_schemas/", json=link).raise_for_status()


def _wait_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert server.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/_health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


async def _count_rows(url: str) -> tuple[int, int]:
    connection = await asyncpg.connect(url)
    try:
        logged = await connection.fetchval("SELECT count(*) FROM event_log")
        held = await connection.fetchval("SELECT count(*) FROM quarantined_events")
        return int(logged), int(held)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time, after a warm-up")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument(
        "--invalid", type=float, default=0.0, help="share of planned events that miss a required property (0-1)"
    )
    parser.add_argument("--client", nargs=2, metavar=("PORT", "TOKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(int(args.client[0]), args.client[1], args.seconds, args.connections, args.invalid)
        return

    executable = shutil.which("eventschema", path=str(Path(sys.executable).parent)) or "eventschema"
    url = asyncio.run(recreate_database())
    boot = _cli(executable, "bootstrap", url=url)
    [project] = _cli(executable, "projects", "list", url=url)
    port = _free_port()
    env = {**os.environ, "EVENTSCHEMA_DATABASE_URL": url, "EVENTSCHEMA_RATE_LIMIT_ENABLED": "false"}
    server = subprocess.Popen(
        [executable, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server)
        _seed_plan(base, boot["api_key"], project["id"])
        client = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--client",
                str(port),
                project["api_token"],
                "--seconds",
                str(args.seconds),
                "--connections",
                str(args.connections),
                "--invalid",
                str(args.invalid),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert client.stdout is not None
        if client.stdout.readline().strip() != "ready":
            raise SystemExit("the load generator failed")
        # CPU is read over the measured time, inside the client's window (after its warm-up, before its end).
        time.sleep(WARMUP_SECONDS + 0.5)
        window = CpuWindow(server.pid)
        time.sleep(max(args.seconds - 1.0, 1.0))
        cpu = window.close()
        output, _ = client.communicate()
        if client.returncode != 0:
            raise SystemExit("the load generator failed")
        result = json.loads(output)
    finally:
        server.terminate()
        server.wait(30)
    logged, held = asyncio.run(_count_rows(url))
    baseline, writer_cpu, postgres_cpu = asyncio.run(_baseline(url, project["id"], args.seconds, args.connections))

    latencies = sorted(result["latencies"])
    rate = result["measured"] / args.seconds
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"## Capture gateway: /batch/ of {BATCH} gzip'd events, {args.workers} workers, PostgreSQL event log\n")
    measured = f"{args.seconds:g} s measured after a {WARMUP_SECONDS:g} s warm-up"
    invalid = f"; {args.invalid:.0%} of planned events invalid" if args.invalid else ""
    print(f"{os.cpu_count()} cores; {args.connections} connections; {measured}{invalid}")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| accepted events/s | {rate:,.0f} |")
    print(f"| batch latency p50 / p99 | {p50:.1f} ms / {p99:.1f} ms |")
    late = f" ({result['built_late']:,} requests built as sent)" if result["built_late"] else ""
    print(f"| load generator CPU | {result['client_cpu'] * 100:.0f}% of one core{late} |")
    batches = rate / BATCH * cpu["wall"]
    others = cpu["busy"] - cpu["server"] - cpu["postgres"] - result["client_cpu"] * cpu["wall"]
    print(f"| CPU per batch: server workers / PostgreSQL | {cpu['server'] / batches * 1000:.2f} ms / "
          f"{cpu['postgres'] / batches * 1000:.2f} ms |")  # fmt: skip
    print(f"| cores busy: all / with other processes | {cpu['busy'] / cpu['wall']:.2f} / "
          f"{max(others, 0.0) / cpu['wall']:.2f} |")  # fmt: skip
    print(f"| baseline: the same rows written straight into PostgreSQL | {baseline:,.0f} events/s |")
    print(f"| baseline CPU per batch: writer / PostgreSQL | {writer_cpu * 1000:.2f} ms / "
          f"{postgres_cpu * 1000:.2f} ms |")  # fmt: skip
    print(f"| gateway / baseline | {rate / baseline:.2f} |")
    print(
        f"| events acknowledged / in the event log / quarantined | {result['acknowledged']:,} / {logged:,} / {held:,} |"
    )
    print(f"| requests refused | {result['failed'] // BATCH} |")
    if logged + held != result["acknowledged"] or result["failed"]:
        raise SystemExit("events were lost or refused")


if __name__ == "__main__":
    main()
