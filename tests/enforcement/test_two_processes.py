"""Two server processes on one PostgreSQL database: a schema change made through one is enforced by the other
within a second (PostgreSQL LISTEN/NOTIFY), by its validate API and by its capture gateway."""

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.cli.helpers import run_cli
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.enforcement.helpers import SIGNUP_PROPERTIES
from tests.enforcement.servers import serving

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs PostgreSQL")
INCOMPLETE = {"event": "signed up", "properties": {"plan": "pro"}}


async def _verdict(http: httpx.AsyncClient, base: str, project: int) -> dict:
    response = await http.post(f"{base}/api/projects/{project}/event_schemas/validate/", json=INCOMPLETE)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]  # type: ignore[no-any-return]


async def _seen_within(seconds: float, http: httpx.AsyncClient, base: str, project: int, action: str) -> float:
    """How long until `base` answers `action` for the incomplete event; fails after `seconds`."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while (await _verdict(http, base, project))["action"] != action:
        assert loop.time() - start < seconds, f"{base} still does not say {action!r}"
        await asyncio.sleep(0.01)
    return loop.time() - start


@pytest.mark.slow
async def test_a_change_through_one_process_is_enforced_by_the_other(tmp_path: Path) -> None:
    url, name = await create_postgres_database()
    try:
        boot = (await run_cli("bootstrap", "--json", database_url=url, cwd=tmp_path)).json()
        project = boot["project_id"]
        [listed] = (await run_cli("projects", "list", "--json", database_url=url, cwd=tmp_path)).json()
        headers = {"Authorization": f"Bearer {boot['api_key']}"}
        async with (
            serving(url, tmp_path) as first,
            serving(url, tmp_path) as second,
            httpx.AsyncClient(headers=headers, timeout=10) as http,
        ):
            api = f"{first}/api/projects/{project}"
            definition = (await http.post(f"{api}/event_definitions/", json={"name": "signed up"})).json()
            group = (
                await http.post(
                    f"{api}/schema_property_groups/", json={"name": "signup", "properties": SIGNUP_PROPERTIES}
                )
            ).json()
            link = {"event_definition": definition["id"], "property_group_id": group["id"]}
            assert (await http.post(f"{api}/event_schemas/", json=link)).status_code == 201
            # Both processes have compiled the plan: the allow definition forwards.
            assert (await _verdict(http, second, project))["action"] == "forward"
            assert (await _verdict(http, first, project))["action"] == "forward"

            patched = await http.patch(
                f"{api}/event_definitions/{definition['id']}/", json={"enforcement_mode": "reject"}
            )
            assert patched.status_code == 200
            await _seen_within(1.0, http, second, project, "quarantine")

            # And the other way round, then through the gateway.
            relaxed = [{**p, "is_required": False} if p["name"] == "seats" else p for p in SIGNUP_PROPERTIES]
            other = f"{second}/api/projects/{project}"
            response = await http.patch(f"{other}/schema_property_groups/{group['id']}/", json={"properties": relaxed})
            assert response.status_code == 200
            await _seen_within(1.0, http, first, project, "forward")
            body = {
                "api_key": listed["api_token"],
                "batch": [{"event": "signed up", "distinct_id": "u", "properties": {}}],
            }
            assert (await http.post(f"{first}/batch/", json=body)).status_code == 200
            held = (await http.get(f"{api}/quarantine/")).json()
            assert [item["violations"][0]["property"] for item in held["results"]] == ["plan"]
    finally:
        await drop_postgres_database(name)
