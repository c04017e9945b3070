"""Bounds and privacy of observation: names past the limits count as overflow, and examples stay off when the
project says so."""

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from eventschema.db import Database
from eventschema.models import ObservedEvent, ObservedValue
from eventschema.observed.inference import UNKNOWN_VALUES
from eventschema.settings import Settings
from tests.app.helpers import app_settings
from tests.enforcement.helpers import api, event
from tests.factories import Account
from tests.observed.helpers import by_name, definition_id, observed, send


@pytest.fixture
def settings() -> Settings:
    return app_settings(observe_max_events=2, observe_max_properties=2)


async def _events(db: Database) -> dict[str, tuple[int, int]]:
    async with db.session(write=False) as session:
        rows = (await session.execute(select(ObservedEvent))).scalars().all()
        return {row.event: (row.events, row.overflow) for row in rows}


async def test_names_past_the_bounds_count_as_overflow(app: FastAPI, client, db: Database, account: Account) -> None:
    await send(app, client, account, [event("a", p1=1, p2=2), event("b", q=1)])
    await send(app, client, account, [event("a", p1=1, p3=3, p4=4), event("c", x=1), event("d"), event("c")])

    # Two names per project: "c" and "d" went to the project's overflow row (''); two properties per event: p3
    # and p4 are counted in a's overflow.
    assert await _events(db) == {"a": (2, 2), "b": (1, 0), "": (3, 0)}
    assert sorted(by_name(await observed(client, account, "a"))) == ["p1", "p2"]
    drift = await api(client, account, "GET", "drift/")
    overflow = [(item["event"], item["count"]) for item in drift["results"] if item["kind"] == "overflow"]
    assert overflow == [("", 3)]


async def test_observe_examples_false_keeps_no_examples_or_values(
    app: FastAPI, client, db: Database, account: Account
) -> None:
    await send(app, client, account, [event("a", plan="pro")])
    assert (await observed(client, account, "a"))[0]["example"] == "pro"

    await api(client, account, "PATCH", "", json={"observe_examples": False})
    (plan,) = await observed(client, account, "a")
    assert plan["example"] is None
    await send(app, client, account, [event("a", plan="team")])

    (plan,) = await observed(client, account, "a")
    assert (plan["example"], plan["events"]) == (None, 2)
    async with db.session(write=False) as session:
        kept = (await session.execute(select(ObservedValue.value))).scalars().all()
    assert kept == [UNKNOWN_VALUES]  # a placeholder, no value seen


async def test_values_forgotten_with_examples_are_not_suggested_as_an_enum_later(
    app: FastAPI, client, account: Account
) -> None:
    await send(app, client, account, [event("a", plan=["free", "pro"][i % 2]) for i in range(20)])
    await api(client, account, "PATCH", "", json={"observe_examples": False})
    await api(client, account, "PATCH", "", json={"observe_examples": True})
    await send(app, client, account, [event("a", plan="free") for _ in range(20)])

    identifier = await definition_id(client, account, "a")
    (plan,) = (await api(client, account, "POST", f"event_definitions/{identifier}/propose/"))["properties"]

    # "pro" was seen, but forgotten: no enum of ["free"] alone.
    assert plan["property_type"] == "String" and "validation_rules" not in plan
