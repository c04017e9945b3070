"""Two processes capturing and flushing at once add up exactly: counters are added to, never overwritten."""

import asyncio

from fastapi import FastAPI
from sqlalchemy import select

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.models import ObservedEvent
from eventschema.settings import Settings
from tests.app.helpers import app_client
from tests.enforcement.helpers import captured_ok, event, project_token
from tests.factories import Account
from tests.observed.helpers import by_name, observed


async def test_two_processes_flushing_at_once_add_up_exactly(
    app: FastAPI, client, db: Database, settings: Settings, account: Account
) -> None:
    token = await project_token(client, account)
    other = create_app(settings, database=db)
    async with app_client(other) as second:
        batches = [[event("a", n=i, s="x") for i in range(50)], [event("a", n=i, m=True) for i in range(30)]]
        for _ in range(3):
            await asyncio.gather(captured_ok(client, token, batches[0]), captured_ok(second, token, batches[1]))
            await asyncio.gather(app.state.gateway.observer.flush(), other.state.gateway.observer.flush())

    async with db.session(write=False) as session:
        row = (await session.execute(select(ObservedEvent).where(ObservedEvent.event == "a"))).scalar_one()
    assert (row.events, row.overflow) == (240, 0)
    props = by_name(await observed(client, account, "a"))
    assert props["n"]["events"] == 240 and props["n"]["types"]["number"] == 240
    assert props["s"]["events"] == 150
    assert props["m"]["events"] == 90 and props["m"]["types"]["boolean"] == 90
    assert props["s"]["presence"] == 0.625
