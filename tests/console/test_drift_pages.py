"""The Drift page over HTTP, on both back ends: the drift report worst first, "accept proposal" on unplanned
events, the proposal as an editable JSON draft (the API's own proposal), creating a missing definition first, the
empty state, 404 for another project, names escaped. Accepting (group created, then linked) is the browser test's."""

import json
import re
from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest
from fastapi import FastAPI

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.settings import Settings
from tests.app.helpers import app_client, foreign_project
from tests.console.helpers import ConsoleUser, console_user, sign_in
from tests.enforcement.helpers import api, define, event
from tests.observed.helpers import send

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PLAN = [{"name": "plan", "property_type": "String", "is_required": True}]


@pytest.fixture
def app(db: Database, settings: Settings) -> FastAPI:
    return create_app(settings, database=db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app) as http:
        yield http


async def _traffic(app: FastAPI, client, user: ConsoleUser) -> None:
    await define(client, user.account, mode="allow", properties=PLAN)
    await send(
        app,
        client,
        user.account,
        [
            event(plan="pro", extra=1),
            event(seats=3),
            event("clicked", button="a", position=2),
            event("clicked", button="b"),
            event("viewed"),
        ],
    )


def _draft(html: str) -> dict:
    found = re.search(r'<textarea id="proposal-draft"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, html
    return json.loads(unescape(found[1]))


async def test_the_report_worst_first_with_accept_proposal_on_unplanned_events(app, client, db) -> None:
    user = await console_user(db)
    await _traffic(app, client, user)
    await sign_in(client, user)

    html = (await client.get(user.page("drift/"))).text

    assert html.count("<h1>") == 1
    assert 'aria-current="page">Drift</a>' in html
    rows = re.findall(r'<span class="badge badge-drift-(\w+)">', html)
    report = (await api(client, user.account, "GET", "drift/"))["results"]
    assert rows == [item["kind"] for item in report]
    assert rows[:2] == ["unplanned_event", "unplanned_event"]
    assert html.count(">Accept proposal</a>") == 2
    assert f'<a href="/projects/{user.project_id}/drift/?event=clicked#proposal"' in html


async def test_the_proposal_is_the_apis_draft_in_a_labelled_textarea(app, client, db) -> None:
    user = await console_user(db)
    await _traffic(app, client, user)
    await sign_in(client, user)
    clicked = await api(client, user.account, "GET", "event_definitions/by_name/", params={"name": "clicked"})
    proposed = await api(client, user.account, "POST", f"event_definitions/{clicked['id']}/propose/")

    html = (await client.get(user.page("drift/?event=clicked"))).text

    assert '<label for="proposal-draft">Property group draft (JSON)</label>' in html
    assert _draft(html) == proposed
    assert [p["name"] for p in proposed["properties"]] == ["button", "position"]
    then = re.search(r"data-api-then-json='([^']*)'", html)
    assert then and json.loads(unescape(then[1])) == {"event_definition": clicked["id"], "property_group_id": "{id}"}
    assert f'data-next="/projects/{user.project_id}/events/{clicked["id"]}/"' in html


async def test_an_event_without_a_definition_is_defined_first(app, client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    html = (await client.get(user.page("drift/?event=never_defined"))).text

    assert "This event has no definition yet" in html
    assert '<input type="hidden" name="name" value="never_defined">' in html
    assert f'data-api-url="/api/projects/{user.project_id}/event_definitions/"' in html


async def test_the_empty_state(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    html = (await client.get(user.page("drift/"))).text

    assert "No drift" in html
    assert "Accept proposal" not in html


async def test_another_projects_drift_is_a_404_page(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    assert (await client.get(f"/projects/{foreign}/drift/")).status_code == 404


async def test_every_name_is_escaped(app, client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    await send(app, client, user.account, [event(SCRIPT, **{SCRIPT: SCRIPT})])
    await sign_in(client, user)

    pages = [await client.get(user.page("drift/")), await client.get(user.page("drift/"), params={"event": SCRIPT})]

    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert ESCAPED in page.text
