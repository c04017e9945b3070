"""eventschema bootstrap."""

from pathlib import Path

from sqlalchemy import select

from eventschema.auth.passwords import verify_password
from eventschema.db import Database
from eventschema.models import User
from tests.cli.helpers import api, database_url, run_cli

__all__ = ["database_url"]


async def _password_matches(url: str, email: str, password: str) -> bool:
    database = Database(url, pool_size=1)
    try:
        async with database.session(write=False) as session:
            stored = (await session.execute(select(User.password_hash).where(User.email == email))).scalar_one()
        return verify_password(stored, password)
    finally:
        await database.dispose()


async def test_bootstrap_json_twice(database_url: str, tmp_path: Path) -> None:
    first = (await run_cli("bootstrap", "--json", database_url=database_url, cwd=tmp_path)).json()
    second = (await run_cli("bootstrap", "--json", database_url=database_url, cwd=tmp_path)).json()

    assert set(first) == {"project_id", "api_key", "email", "password"}
    assert isinstance(first["project_id"], int)
    assert first["api_key"].startswith("phx_")
    assert len(first["api_key"]) == 51
    assert first["email"] == "admin@localhost"
    assert second["project_id"] == first["project_id"]
    assert second["email"] == first["email"]
    assert second["api_key"] != first["api_key"]
    # The password is made with the user, once: a second run leaves it as it is.
    assert isinstance(first["password"], str) and len(first["password"]) >= 16
    assert second["password"] is None
    assert await _password_matches(database_url, first["email"], first["password"])
    for key in (first["api_key"], second["api_key"]):
        project = await api(database_url, "GET", f"/api/projects/{first['project_id']}/", key)
        assert project.status_code == 200
        assert project.json()["name"] == "Default project"
        me = await api(database_url, "GET", "/api/users/@me/", key)
        assert me.json()["email"] == "admin@localhost"
    listed = await api(database_url, "GET", "/api/projects/", first["api_key"])
    assert listed.json()["count"] == 1


async def test_bootstrap_options_with_text_output(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'text.db'}"

    result = await run_cli(
        "bootstrap", "--email", "ada@example.com", "--project", "Mobile app", database_url=url, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("project id: ")
    assert lines[1] == "user:       ada@example.com"
    assert lines[2].startswith("api key:    phx_")
    assert lines[2].endswith("  (shown once; store it now)")
    assert lines[3].startswith("password:   ")
    assert lines[3].endswith("  (shown once; sign in to the console with it)")
    assert await _password_matches(url, "ada@example.com", lines[3].split()[1])
    again = await run_cli("bootstrap", "--email", "ada@example.com", database_url=url, cwd=tmp_path)
    assert again.stdout.splitlines()[3] == (
        "password:   unchanged (set a new one with: eventschema users set-password ada@example.com)"
    )
    key = lines[2].split()[2]
    project_id = int(lines[0].removeprefix("project id: "))
    current = await api(url, "GET", "/api/projects/@current/", key)
    assert (current.json()["id"], current.json()["name"]) == (project_id, "Mobile app")
    me = await api(url, "GET", "/api/users/@me/", key)
    assert me.json()["email"] == "ada@example.com"
