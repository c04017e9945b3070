"""The per-process cache of event schema list pages: every write through the API shows on the next page, a change
made by another process is seen by the next request (each use reads the schema version), notified or not, and a
warm page costs only that version query."""

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import text

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.enforcement import listener
from eventschema.enforcement.repository import CHANNEL
from eventschema.models import EventDefinition, EventSchema, PropertyGroup
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import NEW_SCHEMA_VERSION
from tests.event_schemas.api import create_group, linked_pair, list_results, prop
from tests.factories import Account, StatementCounter

PAGE_QUERY = "FROM event_schemas"


def _page_queries(counter: StatementCounter) -> int:
    return len([s for s in counter.statements if PAGE_QUERY in s])


async def test_writes_through_the_api_show_on_the_next_page(client, account: Account) -> None:
    first = await linked_pair(client, account)
    assert [r["id"] for r in await list_results(client, account, "event_schemas/")] == [first["id"]]

    second = await linked_pair(client, account, " 2")
    assert {r["id"] for r in await list_results(client, account, "event_schemas/")} == {first["id"], second["id"]}

    group = await create_group(client, account, "other", [prop("plan")])
    moved = await client.patch(
        account.url(f"event_schemas/{second['id']}/"), json={"property_group_id": group["id"]}, headers=account.headers
    )
    assert moved.status_code == 200
    shown = {r["id"]: r["property_group"]["name"] for r in await list_results(client, account, "event_schemas/")}
    assert shown == {first["id"]: "user", second["id"]: "other"}

    deleted = await client.delete(account.url(f"event_schemas/{first['id']}/"), headers=account.headers)
    assert deleted.status_code == 204
    assert [r["id"] for r in await list_results(client, account, "event_schemas/")] == [second["id"]]


async def test_a_warm_page_costs_no_page_query(client, db: Database, account: Account) -> None:
    await linked_pair(client, account)
    await list_results(client, account, "event_schemas/?limit=10")
    with StatementCounter(db) as counter:
        await list_results(client, account, "event_schemas/?limit=10")
    assert _page_queries(counter) == 0


async def _link_elsewhere(db: Database, account: Account, notify: bool) -> None:
    """What another process's writes leave in the database: a definition, a group and their link, a new schema
    version, maybe a notification; nothing this process hears of but through the database."""
    async with db.session(write=True) as session:
        definition = EventDefinition(project_id=account.project_id, name="elsewhere")
        group = PropertyGroup(project_id=account.project_id, name="elsewhere")
        session.add_all([definition, group])
        await session.flush()
        session.add(
            EventSchema(project_id=account.project_id, event_definition_id=definition.id, property_group_id=group.id)
        )
        await session.flush()
        await session.execute(text(NEW_SCHEMA_VERSION))
        if notify:
            await session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": str(account.project_id)})
        await session.commit()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_another_process_change_is_seen_on_sqlite_by_the_version_check(client, db: Database, account) -> None:
    await linked_pair(client, account)
    assert len(await list_results(client, account, "event_schemas/")) == 1
    await _link_elsewhere(db, account, notify=False)
    assert len(await list_results(client, account, "event_schemas/")) == 2


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("notify", [True, False], ids=["notified", "notification lost"])
async def test_another_process_change_is_seen_by_the_next_request_while_listening(
    db: Database, account: Account, notify: bool
) -> None:
    app = create_app(app_settings(), database=db)
    async with app.router.lifespan_context(app), app_client(app) as client:
        await _until(lambda: app.state.plans.notified)
        await linked_pair(client, account)
        assert len(await list_results(client, account, "event_schemas/")) == 1
        reads = app.state.revisions.reads
        with StatementCounter(db) as counter:
            await list_results(client, account, "event_schemas/")
        assert [s for s in counter.statements if "FROM event_schemas" in s] == []  # the page was kept
        assert app.state.revisions.reads == reads + 1  # its version checked (over a connection of its own)

        await _link_elsewhere(db, account, notify=notify)
        # At once: not when (or whether) the notification arrives.
        assert len(await list_results(client, account, "event_schemas/")) == 2


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_change_missed_while_disconnected_is_seen_after_reconnecting(db: Database, account: Account) -> None:
    app = create_app(app_settings(), database=db)
    async with app.router.lifespan_context(app), app_client(app) as client:
        await _until(lambda: app.state.plans.notified)
        await linked_pair(client, account)
        assert len(await list_results(client, account, "event_schemas/")) == 1
        async with db.engine.begin() as connection:
            killed = await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = :name"
                ),
                {"name": listener.APPLICATION_NAME},
            )
            assert killed.all() == [(True,)]
        await _until(lambda: not app.state.plans.notified)
        # Announced while nobody listens, then no page is asked for until the listener is back.
        await _link_elsewhere(db, account, notify=True)
        await _until(lambda: app.state.plans.notified)

        assert len(await list_results(client, account, "event_schemas/")) == 2


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - a flag of the app's, with no event to wait on
            await asyncio.sleep(0.02)
