"""A level changed by another process (here `eventschema users set-level`) reaches a running server at once on
PostgreSQL, however long it would otherwise remember the key."""

import asyncio
from pathlib import Path

import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.cli.helpers import run_cli
from tests.conftest import Backend
from tests.factories import Account, make_member


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_level_lowered_by_another_process_applies_to_the_next_request(
    backend: Backend, db: Database, account: Account, tmp_path: Path
) -> None:
    admin = await make_member(db, account.project_id, "admin@example.com", 8)
    settings_url = admin.url("validation_settings/")
    app = create_app(app_settings(auth_cache_seconds=60), database=db)
    async with app.router.lifespan_context(app), app_client(app) as client:
        async with asyncio.timeout(5):
            while not app.state.plans.notified:  # noqa: ASYNC110 - a flag of the app's, with no event to wait on
                await asyncio.sleep(0.02)
        assert (await client.get(settings_url, headers=admin.headers)).status_code == 200

        lowered = await run_cli("users", "set-level", admin.email, "member", database_url=backend.url, cwd=tmp_path)
        assert lowered.returncode == 0, lowered.stderr

        async with asyncio.timeout(5):
            while True:
                response = await client.patch(settings_url, json={"validation_mode": "posthog"}, headers=admin.headers)
                if response.status_code == 403:
                    break
                assert response.status_code == 200
                await asyncio.sleep(0.02)
        assert (await client.get(settings_url, headers=admin.headers)).status_code == 200
