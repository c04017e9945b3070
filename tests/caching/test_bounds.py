"""Every per-process cache stays within its part of EVENTSCHEMA_CACHE_MAX_BYTES when filled past it, and what it
dropped is built again, the same, when asked for again (on both back ends)."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from eventschema.app import create_app
from eventschema.caching import share
from eventschema.db import Database
from eventschema.enforcement.cache import PlanCache
from eventschema.settings import Settings
from tests.app.helpers import app_client
from tests.conftest import test_settings as settings_with
from tests.event_schemas.api import seed_links
from tests.factories import Account, make_account, make_key

MAX_BYTES = 400_000


@pytest.fixture
def settings() -> Settings:
    return settings_with(cache_max_bytes=MAX_BYTES)


@pytest.fixture
async def app(db: Database, settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings, database=db)
    yield app


async def _get(client, account: Account, path: str, headers: dict[str, str] | None = None) -> bytes:
    response = await client.get(account.url(path), headers=headers or account.headers)
    assert response.status_code == 200, response.text
    return response.content


async def test_rendered_groups_and_pages_of_event_schemas(app: FastAPI, db: Database, account: Account) -> None:
    await seed_links(db, account, 150, groups=150)
    renderer, pages = app.state.group_renderer, app.state.event_schema_pages
    async with app_client(app) as client:
        groups_first = await _get(client, account, "schema_property_groups/?limit=100")
        await _get(client, account, "schema_property_groups/?limit=100&offset=100")
        assert 0 < renderer.cache.bytes <= share(MAX_BYTES, "groups")
        assert len(renderer.cache) < 150  # some were dropped
        assert await _get(client, account, "schema_property_groups/?limit=100") == groups_first

        pages_first = await _get(client, account, "event_schemas/?limit=50")
        for offset in range(10, 150, 10):
            await _get(client, account, f"event_schemas/?limit=50&offset={offset}")
        assert 0 < pages.pages.bytes <= share(MAX_BYTES, "pages")
        assert len(pages.pages) < 15
        assert (account.project_id, None, 50, 0) not in pages.pages  # the first page went first
        assert await _get(client, account, "event_schemas/?limit=50") == pages_first
        assert renderer.cache.bytes <= share(MAX_BYTES, "groups")


async def test_generated_code_and_plan_documents(app: FastAPI, db: Database, account: Account) -> None:
    await seed_links(db, account, 150, groups=150)
    responses = app.state.responses.entries
    paths = [f"event_definitions/{language}/" for language in ("typescript", "python", "golang", "json")]
    paths += ["plan/", "plan/?format=yaml"]
    async with app_client(app) as client:
        first = {path: await _get(client, account, path) for path in paths}
        assert sum(len(body) for body in first.values()) > share(MAX_BYTES, "responses")
        assert 0 < responses.bytes <= share(MAX_BYTES, "responses")
        assert len(responses) < len(paths)
        for path in paths:
            assert await _get(client, account, path) == first[path]
        assert responses.bytes <= share(MAX_BYTES, "responses")


async def test_checked_keys(app: FastAPI, db: Database, account: Account) -> None:
    keys = [await make_key(db, account.email, ["*"]) for _ in range(15)]
    kept = app.state.auth_cache.entries
    async with app_client(app) as client:
        for key in keys:
            await _get(client, account, "", {"Authorization": f"Bearer {key}"})
        assert 0 < kept.bytes <= share(MAX_BYTES, "keys")
        assert len(kept) < len(keys)
        for key in keys:  # dropped ones are looked up again
            await _get(client, account, "", {"Authorization": f"Bearer {key}"})


async def test_compiled_plans(db: Database) -> None:
    accounts = [await make_account(db, f"owner{n}@example.com", f"Project {n}") for n in range(3)]
    for account in accounts:
        await seed_links(db, account, 40, groups=40)
    async with db.session(write=False) as session:
        unbounded = PlanCache(MAX_BYTES * 100)
        expected = [await unbounded.get(session, account.project_id) for account in accounts]
        limit = unbounded.plans.bytes // 2  # the three plans are the same size: room for one, not two
        cache = PlanCache(limit)
        for account in accounts:
            await cache.get(session, account.project_id)
        assert 0 < cache.plans.bytes <= limit
        assert list(cache.plans.keys()) == [accounts[-1].project_id]
        again = await cache.get(session, accounts[0].project_id)
        assert list(cache.plans.keys()) == [accounts[0].project_id]
        event = {"a": 1, "b": "x"}
        assert again.version == expected[0].version
        assert again.enforcement == expected[0].enforcement
        assert again.explain("event 0000", event) == expected[0].explain("event 0000", event)


async def test_whole_answers(app: FastAPI, db: Database, account: Account) -> None:
    await seed_links(db, account, 150, groups=150)
    answers = app.state.answers.entries
    paths = [f"schema_property_groups/?limit=50&offset={offset}" for offset in range(0, 150, 50)]
    paths += [f"event_schemas/?limit=50&offset={offset}" for offset in range(0, 150, 50)]
    async with app_client(app) as client:
        first = {path: await _get(client, account, path) for path in paths}
        assert sum(len(body) for body in first.values()) > share(MAX_BYTES, "answers")
        assert 0 < answers.bytes <= share(MAX_BYTES, "answers")
        assert len(answers) < len(paths)
        for path in paths:  # what was dropped is answered again, the same
            assert await _get(client, account, path) == first[path]
        assert answers.bytes <= share(MAX_BYTES, "answers")


async def test_capture_keys_and_last_seen_times(app: FastAPI, account: Account) -> None:
    gateway = app.state.gateway
    async with app_client(app) as client:
        token = (await client.get(account.url(""), headers=account.headers)).json()["api_token"]
        names = [f"event {n:04}" for n in range(400)]
        for start in range(0, len(names), 100):
            batch = [{"event": name, "distinct_id": "u", "properties": {}} for name in names[start : start + 100]]
            response = await client.post("/batch/", json={"api_key": token, "batch": batch})
            assert response.status_code == 200, response.text
        for _ in range(3):  # unknown keys are not kept; the known one is
            assert (await client.post("/batch/", json={"api_key": "phc_unknown", "batch": batch})).status_code == 401
    seen, tokens = gateway.seen.entries, gateway.tokens.entries
    assert 0 < seen.bytes <= share(MAX_BYTES, "capture") // 2
    assert len(seen) < len(names)
    assert {name for (_project, name), _when in seen.items()} <= set(names[300:])  # the most recent stay
    assert list(tokens.keys()) == [token]
    assert 0 < tokens.bytes <= share(MAX_BYTES, "capture") // 2
