"""The public project API key (phc_...): shown as api_token, and rotated by the API or the CLI, after which
the old key is refused at once by the process that rotated it and, through NOTIFY, by the others."""

import asyncio
from pathlib import Path

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings, foreign_project, missing_scope, not_found
from tests.capture.test_errors import INVALID_TOKEN
from tests.cli.helpers import database_url, run_cli
from tests.enforcement.helpers import capture, event, project_token
from tests.factories import Account, make_key

__all__ = ["database_url"]  # the fixture, from the CLI tests


async def test_rotation_through_the_api(client, account: Account) -> None:
    old = await project_token(client, account)
    assert (await capture(client, old, [event()])).status_code == 200

    response = await client.post(account.url("rotate_token/"), headers=account.headers)

    assert response.status_code == 200
    new = response.json()["api_token"]
    assert new.startswith("phc_") and len(new) == 47 and new != old
    assert await project_token(client, account) == new
    refused = await capture(client, old, [event()])
    assert (refused.status_code, refused.json()) == (401, INVALID_TOKEN)
    assert (await capture(client, new, [event()])).status_code == 200


async def test_rotation_access(client, db: Database, account: Account) -> None:
    reader = await make_key(db, account.email, ["project:read"])
    foreign = await foreign_project(db)

    refused = await client.post(account.url("rotate_token/"), headers={"Authorization": f"Bearer {reader}"})
    anonymous = await client.post(account.url("rotate_token/"))
    unknown = await client.post("/api/projects/999999/rotate_token/", headers=account.headers)
    theirs = await client.post(f"/api/projects/{foreign}/rotate_token/", headers=account.headers)

    assert (refused.status_code, refused.json()) == (403, missing_scope("project:write"))
    assert anonymous.status_code == 401
    assert (unknown.status_code, unknown.json()) == (404, not_found("Project not found."))
    assert theirs.status_code == 403


async def test_rotation_through_the_cli(database_url: str, tmp_path: Path) -> None:
    await run_cli("bootstrap", "--json", database_url=database_url, cwd=tmp_path)
    [project] = (await run_cli("projects", "list", "--json", database_url=database_url, cwd=tmp_path)).json()
    database = Database(database_url, pool_size=2)
    app = create_app(app_settings(), database=database)
    try:
        # The app's lifespan runs its listener on PostgreSQL: the CLI's NOTIFY must reach it.
        async with app.router.lifespan_context(app), app_client(app) as client:
            if database.dialect == "postgresql":
                for _ in range(250):
                    if app.state.plans.notified:
                        break
                    await asyncio.sleep(0.02)
            assert (await capture(client, project["api_token"], [event()])).status_code == 200  # now cached

            rotated = (
                await run_cli(
                    "projects", "rotate-token", str(project["id"]), "--json", database_url=database_url, cwd=tmp_path
                )
            ).json()

            assert rotated["id"] == project["id"]
            assert rotated["api_token"] != project["api_token"]
            [listed] = (await run_cli("projects", "list", "--json", database_url=database_url, cwd=tmp_path)).json()
            assert listed["api_token"] == rotated["api_token"]
            assert (await capture(client, rotated["api_token"], [event()])).status_code == 200
            if database.dialect == "postgresql":
                statuses = []
                for _ in range(50):
                    statuses.append((await capture(client, project["api_token"], [event()])).status_code)
                    if statuses[-1] == 401:
                        break
                    await asyncio.sleep(0.02)
                assert statuses[-1] == 401
    finally:
        await database.dispose()


async def test_rotating_an_unknown_project_fails(tmp_path: Path) -> None:
    result = await run_cli(
        "projects", "rotate-token", "42", database_url=f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path
    )

    assert result.returncode == 1
    assert result.stderr == "error: Project not found.\n"


async def test_a_capture_with_its_key_and_plan_kept_opens_no_read_session(
    client, db: Database, account: Account, monkeypatch
) -> None:
    token = await project_token(client, account)
    assert (await capture(client, token, [event()])).status_code == 200  # keeps the key and the plan
    opened: list[bool] = []
    real = db.session

    def session(*, write: bool):
        opened.append(write)
        return real(write=write)

    monkeypatch.setattr(db, "session", session)
    assert (await capture(client, token, [event()])).status_code == 200
    assert False not in opened  # writes (the commit on SQLite, observed traffic) may open theirs

    await client.post(account.url("rotate_token/"), headers=account.headers)
    refused = await capture(client, token, [event()])
    assert (refused.status_code, refused.json()) == (401, INVALID_TOKEN)
    assert False in opened  # a key no longer current is looked up
