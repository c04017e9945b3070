"""Seed project 1 with the same tracking plan as the DRF peer's `manage.py seed`, for the API benchmark.

    python bench/seed.py DATABASE_URL [--events 500] [--groups 100] [--properties 12] [--schemas 1000]

Same names, types, flags, creation times and the same random event<->group pairs (random.Random(42)
sampling events x groups), so both servers answer with the same data. Replaces project 1's tracking
plan; creates the user bench@example.com and prints a new key with scope '*' as `API_KEY=...`.
"""

import argparse
import asyncio
import random
from datetime import timedelta

from sqlalchemy import delete, insert

from eventschema.auth import service as auth_service
from eventschema.db import Database
from eventschema.ids import uuid7
from eventschema.migrate import upgrade
from eventschema.models import EventDefinition, EventSchema, Property, PropertyGroup, User, utcnow
from eventschema.projects import service as projects_service

PROPERTY_TYPES = ["DateTime", "String", "Numeric", "Boolean", "Object"]


async def seed(url: str, n_events: int, n_groups: int, n_props: int, n_links: int) -> str:
    database = Database(url)
    rng = random.Random(42)
    try:
        async with database.session(write=True) as session:
            account = await projects_service.ensure_account(
                session, email="bench@example.com", project_name="Benchmark project"
            )
            user: User = account.user
            user.first_name, user.last_name, user.is_email_verified = "Bench", "User", True
            user.role_at_organization = "engineering"
            project_id = account.project.id
            for table in (EventSchema, PropertyGroup, EventDefinition):
                await session.execute(delete(table).where(table.project_id == project_id))
            base = utcnow() - timedelta(days=30)
            definitions = [
                {
                    "id": uuid7(),
                    "project_id": project_id,
                    "name": f"event_{i:05d}",
                    "description": "",
                    "enforcement_mode": "allow",
                    "created_at": base + timedelta(seconds=i),
                    "last_seen_at": base + timedelta(days=29, seconds=i),
                }
                for i in range(n_events)
            ]
            groups = [
                {
                    "id": uuid7(),
                    "project_id": project_id,
                    "name": f"group_{i:04d}",
                    "description": f"Properties shared by feature area {i}",
                    "created_by_id": user.id,
                    "created_at": base + timedelta(seconds=i),
                    "updated_at": base + timedelta(seconds=i),
                    "revision": 1,
                }
                for i in range(n_groups)
            ]
            properties = [
                {
                    "id": uuid7(),
                    "property_group_id": group["id"],
                    "name": f"prop_{j:02d}",
                    "property_type": PROPERTY_TYPES[j % len(PROPERTY_TYPES)],
                    "is_required": j % 3 == 0,
                    "is_optional_in_types": j % 6 == 0,
                    "description": f"Property {j} of {group['name']}",
                    "created_at": base,
                    "updated_at": base,
                }
                for group in groups
                for j in reversed(range(n_props))
            ]
            pairs = rng.sample(range(n_events * n_groups), n_links)
            links = [
                {
                    "id": uuid7(),
                    "project_id": project_id,
                    "event_definition_id": definitions[pair // n_groups]["id"],
                    "property_group_id": groups[pair % n_groups]["id"],
                    "created_at": base + timedelta(milliseconds=index),
                    "updated_at": base + timedelta(milliseconds=index),
                }
                for index, pair in enumerate(pairs)
            ]
            for table, rows in (
                (EventDefinition, definitions),
                (PropertyGroup, groups),
                (Property, properties),
                (EventSchema, links),
            ):
                await session.execute(insert(table), rows)
            key = await auth_service.create_key(
                session, email="bench@example.com", scopes=["*"], projects=None, label="benchmark"
            )
            await session.commit()
            # Fresh statistics, as after any bulk load (autovacuum would get there within a minute).
            if database.dialect == "postgresql":
                async with database.engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await connection.exec_driver_sql("ANALYZE")
            print(
                f"seeded project {project_id}: {n_events} event definitions, "
                f"{n_groups} groups x {n_props} properties, {n_links} event schemas"
            )
            return key.value
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--properties", type=int, default=12)
    parser.add_argument("--schemas", type=int, default=1000)
    args = parser.parse_args()
    upgrade(args.database_url)
    key = asyncio.run(seed(args.database_url, args.events, args.groups, args.properties, args.schemas))
    print(f"API_KEY={key}")


if __name__ == "__main__":
    main()
