"""eventschema users: invite, list, set-level, remove and set-password, on both back ends."""

import asyncio
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from eventschema.auth.passwords import verify_password
from eventschema.db import Database
from eventschema.models import User
from tests.cli.helpers import EXECUTABLE, TIMEOUT, Result, api, cli_env, database_url, run_cli

__all__ = ["database_url"]  # the fixture: an empty database per back end

PASSWORD = "a long enough password"


def _set_password(email: str, stdin: str, url: str, cwd: Path) -> Result:
    assert EXECUTABLE
    completed = subprocess.run(
        [EXECUTABLE, "users", "set-password", email],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(url),
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


async def _password_hash(url: str, email: str) -> str | None:
    database = Database(url, pool_size=1)
    try:
        async with database.session(write=False) as session:
            return (await session.execute(select(User.password_hash).where(User.email == email))).scalar_one()
    finally:
        await database.dispose()


@pytest.mark.slow
async def test_users_commands(database_url: str, tmp_path: Path) -> None:
    def cli(*args: str):
        return run_cli(*args, database_url=database_url, cwd=tmp_path)

    owner = (await cli("bootstrap", "--email", "owner@example.com", "--json")).json()
    project = f"/api/projects/{owner['project_id']}/"

    invited = (await cli("users", "invite", "new@example.com", "--level", "admin", "--json")).json()
    assert (invited["target_email"], invited["level"], invited["email_sent"]) == ("new@example.com", 8, False)
    assert invited["invite_link"].startswith("http://127.0.0.1:8000/api/signup/")
    token = invited["invite_link"].rstrip("/").rsplit("/", 1)[1]
    joined = await api(database_url, "POST", f"/api/signup/{token}/", None, json={"password": PASSWORD})
    assert joined.status_code == 201
    key = joined.json()["personal_api_key"]
    assert (await api(database_url, "POST", project + "rotate_token/", key)).status_code == 200

    listed, text = await asyncio.gather(cli("users", "list", "--json"), cli("users", "list"))
    members = listed.json()
    assert [(m["user"]["email"], m["level"]) for m in members] == [("owner@example.com", 15), ("new@example.com", 8)]
    assert list(members[0]) == ["id", "user", "level", "joined_at", "updated_at"]
    assert [line.split("\t")[:2] for line in text.stdout.splitlines()] == [
        ["owner@example.com", "owner"],
        ["new@example.com", "admin"],
    ]

    demoted = (await cli("users", "set-level", "new@example.com", "member", "--json")).json()
    assert (demoted["user"]["email"], demoted["level"]) == ("new@example.com", 1)
    assert (await api(database_url, "POST", project + "rotate_token/", key)).status_code == 403
    last_owner, bad_level, unknown = await asyncio.gather(
        cli("users", "set-level", "owner@example.com", "admin"),
        cli("users", "invite", "x@example.com", "--level", "boss"),
        cli("users", "set-level", "nobody@example.com", "admin"),
    )
    assert (last_owner.returncode, last_owner.stderr) == (1, "error: An organization must keep at least one owner.\n")
    assert bad_level.returncode == 2
    assert "unknown level 'boss'; valid levels are member, admin, owner" in bad_level.stderr
    assert (unknown.returncode, unknown.stderr) == (1, "error: No member with email 'nobody@example.com'.\n")

    done = await asyncio.to_thread(_set_password, "owner@example.com", PASSWORD + "\n", database_url, tmp_path)
    short = await asyncio.to_thread(_set_password, "owner@example.com", "short\n", database_url, tmp_path)
    assert (done.returncode, done.stdout) == (0, "password set for owner@example.com\n")
    assert verify_password(await _password_hash(database_url, "owner@example.com"), PASSWORD)
    assert (short.returncode, short.stderr) == (2, "error: A password must have at least 8 characters.\n")

    removed = await cli("users", "remove", "new@example.com")
    assert (removed.returncode, removed.stdout) == (0, "removed new@example.com\n")
    assert (await api(database_url, "GET", project, key)).status_code == 401
    last = await cli("users", "remove", "owner@example.com")
    assert (last.returncode, last.stderr) == (1, "error: An organization must keep at least one owner.\n")


async def test_users_commands_need_an_organization(database_url: str, tmp_path: Path) -> None:
    result = await run_cli("users", "list", database_url=database_url, cwd=tmp_path)

    assert (result.returncode, result.stderr) == (
        1,
        "error: There is no organization yet; run `eventschema bootstrap` first.\n",
    )


async def test_rename_changes_the_names_and_refuses_nonsense(database_url: str, tmp_path: Path) -> None:
    created = await run_cli("bootstrap", "--email", "ada@example.com", database_url=database_url, cwd=tmp_path)
    assert created.returncode == 0, created.stderr

    async def rename(*args: str) -> Result:
        return await run_cli("users", "rename", *args, database_url=database_url, cwd=tmp_path)

    renamed = await rename("ada@example.com", "--first-name", "Ada", "--last-name", "Lovelace")
    assert (renamed.returncode, renamed.stdout) == (0, "renamed ada@example.com\n")
    assert (await rename("ada@example.com", "--last-name", "King")).returncode == 0
    database = Database(database_url)
    try:
        async with database.session(write=False) as session:
            user = (await session.execute(select(User).where(User.email == "ada@example.com"))).scalar_one()
            assert (user.first_name, user.last_name) == ("Ada", "King")
    finally:
        await database.dispose()
    nothing, unknown = await rename("ada@example.com"), await rename("nobody@example.com", "--first-name", "X")
    assert (nothing.returncode, nothing.stderr) == (1, "error: Nothing to change: give a first or last name.\n")
    assert (unknown.returncode, unknown.stderr) == (1, "error: No user with email 'nobody@example.com'.\n")
