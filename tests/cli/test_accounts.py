"""eventschema projects, keys and migrate, on one database (each command is a process: they are batched)."""

import asyncio
import sqlite3
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from tests.cli.helpers import Result, api, run_cli

SCOPES = "event_definition:read,event_definition:write"
CREATE_KEY = ("keys", "create", "--email", "ada@example.com", "--scopes", SCOPES)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_projects_keys_and_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    fresh = tmp_path / "fresh.db"
    bootstrap = (
        await run_cli("bootstrap", "--email", "ada@example.com", "--json", database_url=url, cwd=tmp_path)
    ).json()
    project = str(bootstrap["project_id"])

    created_project, created_key, migrated = await asyncio.gather(
        run_cli("projects", "create", "Web app", "--json", database_url=url, cwd=tmp_path),
        run_cli(*CREATE_KEY, "--project", project, "--label", "x", "--json", database_url=url, cwd=tmp_path),
        run_cli("migrate", database_url=f"sqlite:///{fresh}", cwd=tmp_path),
    )
    other, created = created_project.json(), created_key.json()
    key = created["api_key"]

    # migrate
    assert (migrated.returncode, migrated.stdout) == (0, "database is up to date\n")
    expected = {"alembic_version", "projects", "users", "personal_api_keys", "event_definitions", "event_schemas"}
    assert expected <= _tables(fresh)
    # projects create
    assert set(other) == {"id", "name"}
    assert other["name"] == "Web app"
    assert isinstance(other["id"], int)
    assert other["id"] != bootstrap["project_id"]
    # keys create: the key works within its scopes and its project only
    assert set(created) == {"id", "api_key", "scopes"}
    assert key.startswith("phx_")
    assert created["scopes"] == ["event_definition:read", "event_definition:write"]
    written = await api(url, "POST", f"/api/projects/{project}/event_definitions/", key, json={"name": "e"})
    assert written.status_code == 201
    refused = await api(url, "GET", f"/api/projects/{other['id']}/event_definitions/", key)
    assert refused.status_code == 403
    assert refused.json()["detail"] == f"API key does not have access to the requested project: ID {other['id']}."
    me = await api(url, "GET", "/api/users/@me/", key)
    assert me.json()["detail"] == "API key missing required scope 'user:read'"
    # The new project is in the bootstrap organization, so the bootstrap user may use it.
    allowed = await api(url, "GET", f"/api/projects/{other['id']}/event_definitions/", bootstrap["api_key"])
    assert allowed.status_code == 200

    unused = tmp_path / "unused.db"
    projects_json, keys_text = await asyncio.gather(
        run_cli("projects", "list", "--json", database_url=url, cwd=tmp_path),
        # --database-url wins over $EVENTSCHEMA_DATABASE_URL, which is never opened.
        run_cli("keys", "list", "--database-url", url, database_url=f"sqlite:///{unused}", cwd=tmp_path),
    )

    # projects list
    projects = projects_json.json()
    assert [(item["id"], item["name"]) for item in projects] == [
        (bootstrap["project_id"], "Default project"),
        (other["id"], "Web app"),
    ]
    for item in projects:
        assert set(item) == {"id", "name", "api_token", "organization"}
        assert item["api_token"].startswith("phc_")
    assert projects[0]["organization"] == projects[1]["organization"]
    # keys list: masks, never the keys
    assert not unused.exists()
    assert keys_text.returncode == 0, keys_text.stderr
    assert bootstrap["api_key"] not in keys_text.stdout
    assert key not in keys_text.stdout
    rows = [line.split("\t") for line in keys_text.stdout.splitlines()]
    assert [row[1] for row in rows] == [f"{value[:4]}...{value[-4:]}" for value in (bootstrap["api_key"], key)]
    assert [row[2] for row in rows] == ["ada@example.com", "ada@example.com"]
    assert [row[3] for row in rows] == ["*", SCOPES]
    assert rows[1][0] == created["id"]
    assert rows[1][4] == f"projects=[{project}]"
    assert rows[1][5] != "last_used=never"
    assert rows[1][6] == "x"

    revoked = await run_cli("keys", "revoke", created["id"], database_url=url, cwd=tmp_path)

    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout == f"revoked key {created['id']}\n"
    after = await api(url, "GET", f"/api/projects/{project}/event_definitions/", key)
    assert after.status_code == 401
    assert after.json()["detail"] == "Personal API key found in request Authorization header is invalid."
    assert (await api(url, "GET", f"/api/projects/{project}/", bootstrap["api_key"])).status_code == 200


async def test_bad_scopes_and_unknown_users_are_refused(tmp_path: Path) -> None:
    def create_key(email: str, scopes: str, database: str) -> Coroutine[Any, Any, Result]:
        url = f"sqlite:///{tmp_path / database}"
        return run_cli("keys", "create", "--email", email, "--scopes", scopes, database_url=url, cwd=tmp_path)

    bad_scope, unknown_user = await asyncio.gather(
        create_key("a@example.com", "event_definition:read,event_definition:delete", "a.db"),
        create_key("nobody@example.com", "*", "b.db"),
    )

    assert (bad_scope.returncode, bad_scope.stdout) == (2, "")
    assert bad_scope.stderr == (
        "error: unknown scope 'event_definition:delete'; valid scopes are '*' and "
        "event_definition:read|write, organization_member:read|write, personal_api_key:read|write, "
        "project:read|write, user:read|write\n"
    )
    assert (unknown_user.returncode, unknown_user.stdout) == (1, "")
    assert unknown_user.stderr == "error: No user with email 'nobody@example.com'.\n"


async def test_long_labels_and_foreign_projects_are_refused_as_the_api_refuses_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rules.db'}"
    await run_cli("bootstrap", "--email", "ada@example.com", "--json", database_url=url, cwd=tmp_path)

    long_label, foreign = await asyncio.gather(
        run_cli(*CREATE_KEY, "--label", "x" * 41, database_url=url, cwd=tmp_path),
        run_cli(*CREATE_KEY, "--project", "999", database_url=url, cwd=tmp_path),
    )

    assert (long_label.returncode, long_label.stdout) == (1, "")
    assert long_label.stderr == "error: Ensure this field has no more than 40 characters.\n"
    assert (foreign.returncode, foreign.stdout) == (1, "")
    assert foreign.stderr == "error: You must be a member of all teams that you are scoping the key to.\n"


async def test_keys_update_changes_scopes_and_projects_and_refuses_nonsense(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'update.db'}"
    bootstrap = (
        await run_cli("bootstrap", "--email", "ada@example.com", "--json", database_url=url, cwd=tmp_path)
    ).json()
    key_id = (await run_cli(*CREATE_KEY, "--json", database_url=url, cwd=tmp_path)).json()["id"]

    async def update(*args: str) -> Result:
        return await run_cli("keys", "update", *args, database_url=url, cwd=tmp_path)

    def listed() -> list[str]:
        return next(line.split("\t") for line in keys_text.stdout.splitlines() if line.startswith(key_id))

    changed = await update(key_id, "--scopes", "project:read", "--project", str(bootstrap["project_id"]))
    assert (changed.returncode, changed.stdout) == (0, f"updated key {key_id}\n")
    keys_text = await run_cli("keys", "list", database_url=url, cwd=tmp_path)
    assert listed()[3:5] == ["project:read", f"projects=[{bootstrap['project_id']}]"]
    assert (await update(key_id, "--all-projects")).returncode == 0
    keys_text = await run_cli("keys", "list", database_url=url, cwd=tmp_path)
    assert listed()[3:5] == ["project:read", "projects=all"]

    both, nothing, bad_scope, unknown = await asyncio.gather(
        update(key_id, "--project", "1", "--all-projects"),
        update(key_id),
        update(key_id, "--scopes", "event_definition:delete"),
        update("no-such-key", "--scopes", "*"),
    )
    assert (both.returncode, both.stderr) == (2, "error: give --project or --all-projects, not both\n")
    assert (nothing.returncode, nothing.stderr) == (1, "error: Nothing to change: give scopes or projects.\n")
    assert bad_scope.returncode == 2 and "unknown scope 'event_definition:delete'" in bad_scope.stderr
    assert (unknown.returncode, unknown.stderr) == (1, "error: No personal API key with id 'no-such-key'.\n")
