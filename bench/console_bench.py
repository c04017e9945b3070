"""Server time of the console's pages for a plan of 1,000 events, in-process.

Run from the project root:  PYTHONPATH=src .venv/bin/python bench/console_bench.py [--rounds N] [--database-url URL]

Seeds one project (a fresh SQLite file unless --database-url names an empty, migrated-on-the-spot database):
1,000 event definitions, 100 property groups of 10 properties, each event linked to 2 groups (2,000 links), a
day of hourly violation counters for 300 events, and 200 quarantined events of one event; for the Violations,
Quarantine and Live events pages also the 6 days before (hourly counters of the same 300 events) and 1,000
events in the local event log. A user signs in
through the form, then each round requests every page once through httpx's ASGI transport (no network, no
server process: what is timed is the app's own work, routing, session check, queries and rendering), in an
order rotated from round to round, after ANALYZE (as autovacuum would run it after such a bulk insert). The
table reports median and p95 per page, next to a baseline measured in the same run: the JSON API's list of 100
event definitions with a personal API key (`GET event_definitions/?limit=100`), because these machines are
shared and noisy. Target: every page under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select, text, update

from eventschema.app import create_app
from eventschema.auth import service as auth_service
from eventschema.auth.passwords import hash_password
from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.ids import uuid7
from eventschema.migrate import upgrade
from eventschema.models import (
    EventDefinition,
    EventLogEntry,
    EventSchema,
    Property,
    PropertyGroup,
    QuarantinedEvent,
    User,
    ViolationCount,
    utcnow,
)
from eventschema.projects import service as projects_service
from eventschema.settings import Settings

EVENTS, GROUPS, PROPERTIES, GROUPS_PER_EVENT = 1000, 100, 10, 2
EMAIL, PASSWORD = "bench@example.com", "bench password"


async def seed(database: Database) -> tuple[int, str, str]:
    """The project's id, the user's API key and the id of the event with quarantined samples."""
    now = utcnow()
    async with database.session(write=True) as session:
        account = await projects_service.ensure_account(session, email=EMAIL, project_name="Bench")
        key = await auth_service.create_key(session, email=EMAIL, scopes=["*"], projects=None, label="bench")
        await session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        project_id = account.project.id
        definitions = [
            {
                "id": uuid7(),
                "project_id": project_id,
                "name": f"event_{number:04d}_happened",
                "enforcement_mode": ("allow", "warn", "reject")[number % 3],
                "last_seen_at": now - timedelta(minutes=number) if number % 4 else None,
            }
            for number in range(EVENTS)
        ]
        groups = [{"id": uuid7(), "project_id": project_id, "name": f"group_{number:03d}"} for number in range(GROUPS)]
        await session.execute(insert(EventDefinition), definitions)
        await session.execute(insert(PropertyGroup), groups)
        await session.execute(
            insert(Property),
            [
                {
                    "property_group_id": group["id"],
                    "name": f"property_{number}",
                    "property_type": ("String", "Numeric", "Boolean", "DateTime")[number % 4],
                    "is_required": number % 2 == 0,
                }
                for group in groups
                for number in range(PROPERTIES)
            ],
        )
        await session.execute(
            insert(EventSchema),
            [
                {
                    "project_id": project_id,
                    "event_definition_id": definition["id"],
                    "property_group_id": groups[(number + offset * 37) % GROUPS]["id"],
                }
                for number, definition in enumerate(definitions)
                for offset in range(GROUPS_PER_EVENT)
            ],
        )
        hour = current_hour(now)
        await session.execute(
            insert(ViolationCount),
            [
                {
                    "project_id": project_id,
                    "hour": hour - timedelta(hours=back),
                    "event": definitions[number]["name"],
                    "property": "property_1",
                    "reason": "missing_required",
                    "count": number + back,
                }
                for number in range(0, 900, 3)
                for back in range(24)
            ],
        )
        sampled = definitions[3]
        await session.execute(
            insert(QuarantinedEvent),
            [
                {
                    "project_id": project_id,
                    "event": sampled["name"],
                    "distinct_id": f"user-{number}",
                    "properties": {"property_0": number, "nested": {"a": [1, 2, 3], "b": "text" * 10}},
                    "fields": {},
                    "violations": [{"property": "property_0", "reason": "type_mismatch"}],
                    "reasons": "type_mismatch",
                    "received_at": now - timedelta(seconds=number),
                }
                for number in range(200)
            ],
        )
        await session.commit()
    return project_id, key.value, str(sampled["id"])


async def seed_ops(database: Database, project_id: int) -> str:
    """A week of violation counters and a log of 1,000 events for the Violations, Quarantine and Live events pages;
    the id of a quarantined event."""
    now = utcnow()
    async with database.session(write=True) as session:
        names = (await session.execute(select(EventDefinition.name).order_by(EventDefinition.name))).scalars().all()
        await session.execute(
            insert(ViolationCount),
            [
                {
                    "project_id": project_id,
                    "hour": current_hour(now) - timedelta(hours=back),
                    "event": names[number],
                    "property": "property_1",
                    "reason": "missing_required",
                    "count": number + back,
                }
                for number in range(0, 900, 3)
                for back in range(24, 7 * 24)
            ],
        )
        await session.execute(
            insert(EventLogEntry),
            [
                {
                    "project_id": project_id,
                    "event": names[number % EVENTS],
                    "distinct_id": f"user-{number}",
                    "properties": {"property_0": number, "nested": {"a": [1, 2, 3]}},
                    "timestamp": now - timedelta(seconds=number),
                    "received_at": now - timedelta(seconds=number),
                }
                for number in range(1000)
            ],
        )
        quarantined = (await session.execute(select(QuarantinedEvent.id).limit(1))).scalar_one()
        await session.commit()
    return str(quarantined)


def ops_pages(project_id: int, quarantined_id: str) -> dict[str, str]:
    return {
        "violations (7 days, 300 pairs)": f"/projects/{project_id}/violations/",
        "quarantine (200 events)": f"/projects/{project_id}/quarantine/",
        "quarantine, by reason and time": f"/projects/{project_id}/quarantine/?reason=type_mismatch&after=2000-01-01",
        "quarantined event": f"/projects/{project_id}/quarantine/{quarantined_id}/",
        "live events": f"/projects/{project_id}/live/",
        "live events' refresh": f"/projects/{project_id}/live/rows/",
    }


async def sign_in(client: httpx.AsyncClient) -> None:
    form = await client.get("/login/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, form.text
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": token[1]}
    response = await client.post("/login/", data=data)
    assert response.status_code == 303, response.text


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def run(database_url: str, rounds: int) -> None:
    await asyncio.to_thread(upgrade, database_url)
    database = Database(database_url, pool_size=5)
    project_id, api_key, event_id = await seed(database)
    quarantined_id = await seed_ops(database, project_id)
    # Statistics, as autovacuum gathers them soon after a bulk insert: without any, PostgreSQL plans the
    # violations sort as a nested loop over the aggregated counters (seconds instead of milliseconds).
    async with database.engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        await connection.commit()
    app = create_app(Settings(database_url=database_url, rate_limit_enabled=False), database=database)
    transport = httpx.ASGITransport(app=app)
    pages = {
        "events list (by name)": f"/projects/{project_id}/events/",
        "events list, page 10": f"/projects/{project_id}/events/?page=10",
        "events list by violations": f"/projects/{project_id}/events/?sort=violations",
        "events list by last seen": f"/projects/{project_id}/events/?sort=-last_seen",
        "events search (?q=_05)": f"/projects/{project_id}/events/?q=_05",
        "event page (5 samples)": f"/projects/{project_id}/events/{event_id}/",
        **ops_pages(project_id, quarantined_id),
    }
    async with database.session(write=False) as session:
        group_id = (await session.execute(select(PropertyGroup.id).order_by(PropertyGroup.name).limit(1))).scalar_one()
    pages |= {
        "groups list": f"/projects/{project_id}/groups/",
        "group editor (10 properties)": f"/projects/{project_id}/groups/{group_id}/",
        "code page (TypeScript)": f"/projects/{project_id}/code/",
        "code download (JSON Schema)": f"/projects/{project_id}/code/jsonschema/download/",
        "settings": f"/projects/{project_id}/settings/",
        "members": f"/projects/{project_id}/members/",
        "history": f"/projects/{project_id}/history/",
        "drift": f"/projects/{project_id}/drift/",
    }
    baseline = "baseline: API list of 100 definitions"
    timings: dict[str, list[float]] = {name: [] for name in [*pages, baseline]}
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://bench") as console,
            httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers={"Authorization": f"Bearer {api_key}"}
            ) as api,
        ):
            await sign_in(console)
            requests: list[tuple[str, httpx.AsyncClient, str]] = [
                *((name, console, url) for name, url in pages.items()),
                (baseline, api, f"/api/projects/{project_id}/event_definitions/?limit=100"),
            ]
            for _warm_up in range(3):
                for _name, client, url in requests:
                    assert (await client.get(url)).status_code == 200, url
            for round_number in range(rounds):
                shift = round_number % len(requests)
                for name, client, url in requests[shift:] + requests[:shift]:
                    started = time.perf_counter()
                    response = await client.get(url)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
    finally:
        await app.state.gateway.close()
        await database.dispose()
    base = statistics.median(timings[baseline])
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"{EVENTS} events, {GROUPS} groups x {PROPERTIES} properties, {rounds} rounds, {backend}\n")
    print("| page | median ms | p95 ms | median / baseline |")
    print("|---|---|---|---|")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} | {p95(values):.1f} | {median / base:.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args: Any = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'console_bench.db'}"
        asyncio.run(run(url, args.rounds))


if __name__ == "__main__":
    main()
