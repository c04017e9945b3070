"""eventschema drift: the drift report of a project as a table or JSON, from traffic the gateway observed."""

from pathlib import Path

import orjson
import pytest

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.cli.helpers import database_url, run_cli

__all__ = ["database_url"]  # the fixture


async def _capture(url: str, token: str, events: list[dict[str, object]]) -> None:
    """Capture through an in-process gateway on the CLI's database, and write what it observed."""
    database = Database(url, pool_size=1)
    app = create_app(app_settings(), database=database)
    try:
        async with app_client(app) as client:
            body = orjson.dumps({"api_key": token, "batch": events})
            response = await client.post("/batch/", content=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 200, response.text
            await app.state.gateway.observer.flush()
    finally:
        await database.dispose()


@pytest.mark.slow
async def test_drift_as_json_and_as_a_table(database_url: str, tmp_path: Path) -> None:
    await run_cli("bootstrap", database_url=database_url, cwd=tmp_path)
    (project,) = (await run_cli("projects", "list", "--json", database_url=database_url, cwd=tmp_path)).json()
    clicked = {"event": "clicked", "distinct_id": "u", "properties": {"button": "buy"}}
    viewed = {"event": "viewed", "distinct_id": "u", "properties": {}}
    await _capture(database_url, project["api_token"], [clicked, clicked, viewed])

    report = (await run_cli("drift", "--json", database_url=database_url, cwd=tmp_path)).json()
    table = await run_cli("drift", "--project", str(project["id"]), database_url=database_url, cwd=tmp_path)

    assert report["project"] == project["id"]
    assert [(item["kind"], item["event"], item["count"]) for item in report["results"]] == [
        ("unplanned_event", "clicked", 2),
        ("unplanned_event", "viewed", 1),
    ]
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines() == [
        "kind             event    property  count  events  share",
        "unplanned_event  clicked            2      2       100.0%",
        "unplanned_event  viewed             1      1       100.0%",
    ]


@pytest.mark.slow
async def test_the_project_must_exist_and_be_named_when_there_are_several(database_url: str, tmp_path: Path) -> None:
    await run_cli("bootstrap", database_url=database_url, cwd=tmp_path)
    unknown = await run_cli("drift", "--project", "999", database_url=database_url, cwd=tmp_path)
    assert (unknown.returncode, unknown.stderr) == (1, "error: No project 999.\n")
    clean = await run_cli("drift", database_url=database_url, cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "project 1: no drift\n")

    await run_cli("projects", "create", "Second", database_url=database_url, cwd=tmp_path)
    ambiguous = await run_cli("drift", database_url=database_url, cwd=tmp_path)
    assert (ambiguous.returncode, ambiguous.stderr) == (1, "error: Pass --project (one of 1, 2).\n")
