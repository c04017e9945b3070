"""Migration 0007 records each existing plan as version 1, so every later version can be rebuilt."""

import asyncio
import uuid

import sqlalchemy as sa

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.migrate import downgrade, upgrade
from eventschema.models import UTCDateTime, utcnow
from tests.app.helpers import app_client, app_settings, old_account
from tests.cli.helpers import database_url
from tests.factories import make_member

__all__ = ["database_url"]


def _table(name: str, *columns: sa.ColumnClause) -> sa.TableClause:
    return sa.table(name, *columns, sa.column("created_at", UTCDateTime))


GROUPS = _table(
    "schema_property_groups",
    *(sa.column(n) for n in ("project_id", "name", "description", "revision", "updated_at")),
    sa.column("id", sa.Uuid),
)
PROPERTIES = _table(
    "schema_properties",
    *(sa.column(n) for n in ("name", "property_type", "is_required", "is_optional_in_types", "description")),
    sa.column("id", sa.Uuid),
    sa.column("property_group_id", sa.Uuid),
    sa.column("validation_rules", sa.JSON),
    sa.column("updated_at", UTCDateTime),
)
EVENTS = _table(
    "event_definitions",
    *(sa.column(n) for n in ("project_id", "name", "description", "enforcement_mode", "flag_unexpected")),
    sa.column("id", sa.Uuid),
)
LINKS = _table(
    "event_schemas",
    sa.column("project_id"),
    sa.column("id", sa.Uuid),
    sa.column("event_definition_id", sa.Uuid),
    sa.column("property_group_id", sa.Uuid),
    sa.column("updated_at", UTCDateTime),
)


async def test_existing_plans_become_version_1(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0006")
    database = Database(database_url)
    try:
        old = await old_account(database)
        now = utcnow()
        group_id, event_id = uuid.uuid4(), uuid.uuid4()
        async with database.session(write=True) as session:
            await session.execute(sa.text("UPDATE projects SET validation_mode = 'strict'"))
            group = {"id": group_id, "project_id": old.project_id, "name": "account", "description": "d"}
            await session.execute(sa.insert(GROUPS).values(**group, revision=1, created_at=now, updated_at=now))
            for name, rules in (("seats", {"minimum": 1}), ("plan", None)):
                values = {"id": uuid.uuid4(), "property_group_id": group_id, "name": name, "property_type": "Numeric"}
                values.update(is_required=True, is_optional_in_types=False, description="", validation_rules=rules)
                await session.execute(sa.insert(PROPERTIES).values(**values, created_at=now, updated_at=now))
            event = {"id": event_id, "project_id": old.project_id, "name": "signed_up", "description": ""}
            event.update(enforcement_mode="reject", flag_unexpected=True, created_at=now)
            await session.execute(sa.insert(EVENTS).values(**event))
            link = {"id": uuid.uuid4(), "project_id": old.project_id, "event_definition_id": event_id}
            await session.execute(
                sa.insert(LINKS).values(**link, property_group_id=group_id, created_at=now, updated_at=now)
            )
            await session.commit()
        await database.dispose()

        await asyncio.to_thread(upgrade, database_url)
        account = await make_member(database, old.project_id, "reader@example.com", 15)

        async with app_client(create_app(app_settings(), database=database)) as client:
            now_plan = (await client.get(account.url("plan/"), headers=account.headers)).json()
            assert now_plan["validation_mode"] == "strict"
            assert now_plan["property_groups"]["account"]["properties"]["seats"]["validation_rules"] == {"minimum": 1}
            assert list(now_plan["property_groups"]["account"]["properties"]) == ["plan", "seats"]
            assert now_plan["events"]["signed_up"]["property_groups"] == ["account"]
            response = await client.get(account.url("plan/"), params={"at": "1"}, headers=account.headers)
            assert response.json() == now_plan
            versions = (await client.get(account.url("plan/versions/"), headers=account.headers)).json()
            assert [item["version"] for item in versions["results"]] == [1]
            definition = await client.get(account.url(f"event_definitions/{event_id}/"), headers=account.headers)
            assert definition.json()["schema_version"] == 1
        await database.dispose()

        await asyncio.to_thread(downgrade, database_url, "0006")
        async with database.session(write=False) as session:
            assert (await session.execute(sa.text("SELECT count(*) FROM event_schemas"))).scalar_one() == 1
    finally:
        await database.dispose()
