"""The per-process cache of checked personal API keys: one lookup for a steady stream of requests (writes included),
emptied by every change to credentials (a revoked key, a rotated project API key), expired after
`auth_cache_seconds`, never holding a failed lookup, and not recording a key's use again on every request."""

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select

from eventschema.app import create_app
from eventschema.auth import service as auth_service
from eventschema.auth.keys import hash_key
from eventschema.db import Database
from eventschema.models import PersonalAPIKey
from tests.app.helpers import app_client, app_settings
from tests.cli.helpers import run_cli
from tests.conftest import Backend
from tests.factories import Account, StatementCounter

KEY_LOOKUP = "personal_api_keys.secure_value"


def _lookups(counter: StatementCounter) -> int:
    return len([s for s in counter.statements if KEY_LOOKUP in s])


async def _key_id(db: Database, value: str) -> str:
    async with db.session(write=False) as session:
        statement = select(PersonalAPIKey.id).where(PersonalAPIKey.secure_value == hash_key(value))
        return (await session.execute(statement)).scalar_one()


async def test_a_steady_stream_of_requests_looks_the_key_up_once(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        with StatementCounter(db) as counter:
            for _ in range(20):
                response = await client.get(account.url("event_definitions/"), headers=account.headers)
                assert response.status_code == 200
    assert _lookups(counter) == 1


async def test_schema_writes_leave_the_remembered_keys_alone(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        with StatementCounter(db) as counter:
            for n in range(5):
                body = {"name": f"group {n}", "properties": [{"name": "plan", "property_type": "String"}]}
                response = await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)
                assert response.status_code == 201
    assert _lookups(counter) == 1


async def test_each_project_is_checked_on_its_own(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        own = await client.get(account.url("event_definitions/"), headers=account.headers)
        other = await client.get("/api/projects/999/event_definitions/", headers=account.headers)
        again = await client.get("/api/projects/999/event_definitions/", headers=account.headers)
    assert own.status_code == 200
    assert other.status_code == again.status_code == 404


async def test_a_revoked_key_is_refused_at_once(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 200
        async with db.session(write=True) as session:
            await auth_service.revoke_key(session, await _key_id(db, account.api_key))
            await session.commit()
        assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 401


async def test_a_rotated_project_token_shows_at_once(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        before = (await client.get(account.url(""), headers=account.headers)).json()["api_token"]
        rotated = (await client.post(account.url("rotate_token/"), headers=account.headers)).json()["api_token"]
        after = (await client.get(account.url(""), headers=account.headers)).json()["api_token"]
    assert rotated != before
    assert after == rotated


async def test_entries_expire(db: Database, account: Account) -> None:
    """A key deleted behind the server's back (no announcement) stops working once its entry expires."""
    async with app_client(create_app(app_settings(auth_cache_seconds=0.3), database=db)) as client:
        assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 200
        async with db.session(write=True) as session:
            await session.execute(delete(PersonalAPIKey))
            await session.commit()
        await asyncio.sleep(0.4)
        assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 401


async def test_a_failed_lookup_is_not_kept(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        with StatementCounter(db) as counter:
            for _ in range(3):
                response = await client.get(
                    account.url("event_definitions/"), headers={"Authorization": "Bearer phx_x"}
                )
                assert response.status_code == 401
    assert _lookups(counter) == 3


async def test_the_keys_use_is_recorded_once(db: Database, account: Account) -> None:
    async with app_client(create_app(app_settings(auth_cache_seconds=60), database=db)) as client:
        with StatementCounter(db) as counter:
            for _ in range(5):
                await client.get(account.url("event_definitions/"), headers=account.headers)
    touches = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE PERSONAL_API_KEYS")]
    assert len(touches) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_key_revoked_by_another_process_is_refused_promptly(
    backend: Backend, db: Database, account: Account, tmp_path: Path
) -> None:
    """`eventschema keys revoke` in its own process: its notification empties this server's cache."""
    app = create_app(app_settings(auth_cache_seconds=60), database=db)
    async with app.router.lifespan_context(app), app_client(app) as client:
        await _until(lambda: app.state.plans.notified)
        assert (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code == 200
        revoked = await run_cli(
            "keys", "revoke", await _key_id(db, account.api_key), database_url=backend.url, cwd=tmp_path
        )
        assert revoked.returncode == 0, revoked.stderr
        await _until_refused(client, account)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - a flag of the app's, with no event to wait on
            await asyncio.sleep(0.02)


async def _until_refused(client: httpx.AsyncClient, account: Account) -> None:
    async with asyncio.timeout(5):
        while (await client.get(account.url("event_definitions/"), headers=account.headers)).status_code != 401:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
