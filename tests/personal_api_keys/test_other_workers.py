"""A key revoked through the API on one server is refused by every other server at its next request (PostgreSQL's
LISTEN/NOTIFY, as for `eventschema keys revoke`), however long those servers would otherwise remember it."""

import asyncio

import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.conftest import Backend
from tests.factories import Account

URL = "/api/personal_api_keys/"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_key_revoked_on_one_server_is_refused_by_another(
    backend: Backend, db: Database, account: Account
) -> None:
    first = create_app(app_settings(auth_cache_seconds=60), database=db)
    second = create_app(app_settings(auth_cache_seconds=60), database=db)
    async with (
        first.router.lifespan_context(first),
        second.router.lifespan_context(second),
        app_client(first) as one,
        app_client(second) as other,
    ):
        async with asyncio.timeout(5):
            while not (first.state.plans.notified and second.state.plans.notified):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        made = await one.post(URL, json={"label": "ci", "scopes": ["*"]}, headers=account.headers)
        assert made.status_code == 201, made.text
        new_key = {"Authorization": f"Bearer {made.json()['value']}"}
        # The second server now remembers the key (for 60 seconds, were nothing announced).
        assert (await other.get(account.url("event_definitions/"), headers=new_key)).status_code == 200

        assert (await one.delete(f"{URL}{made.json()['id']}/", headers=account.headers)).status_code == 204

        async with asyncio.timeout(5):
            while (await other.get(account.url("event_definitions/"), headers=new_key)).status_code != 401:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
