"""The official `posthog` Python SDK, pointed at a real eventschema server: a valid event is forwarded, an
invalid one quarantined, nothing is lost, and the SDK sees success every time (so it never retries)."""

import asyncio
from pathlib import Path

import httpx
from posthog import Posthog

from tests.cli.helpers import database_url, run_cli
from tests.enforcement.helpers import SIGNUP_PROPERTIES
from tests.enforcement.servers import serving

__all__ = ["database_url"]  # the fixture, from the CLI tests


def _send_with_the_sdk(host: str, token: str) -> list[str]:
    """Capture with the SDK as an application would, synchronously; returns the errors it reported."""
    failures: list[str] = []
    for gzip in (False, True):
        client = Posthog(
            token,
            host=host,
            sync_mode=True,
            gzip=gzip,
            max_retries=0,
            on_error=lambda error, _items: failures.append(repr(error)),
        )
        client.capture("signed up", distinct_id="ada", properties={"plan": "pro", "seats": 3, "gzip": gzip})
        client.capture("signed up", distinct_id="bob", properties={"plan": "pro", "seats": "lots", "gzip": gzip})
        client.capture("page viewed", distinct_id="ada", properties={"path": "/pricing", "gzip": gzip})
        client.flush()
        client.shutdown()
    return failures


async def test_the_official_sdk(database_url: str, tmp_path: Path) -> None:
    boot = (await run_cli("bootstrap", "--json", database_url=database_url, cwd=tmp_path)).json()
    [project] = (await run_cli("projects", "list", "--json", database_url=database_url, cwd=tmp_path)).json()
    headers = {"Authorization": f"Bearer {boot['api_key']}"}
    async with serving(database_url, tmp_path) as base, httpx.AsyncClient(headers=headers, timeout=10) as http:
        api = f"{base}/api/projects/{project['id']}"
        definition = await http.post(
            f"{api}/event_definitions/", json={"name": "signed up", "enforcement_mode": "reject"}
        )
        group = await http.post(
            f"{api}/schema_property_groups/", json={"name": "signup", "properties": SIGNUP_PROPERTIES}
        )
        link = {"event_definition": definition.json()["id"], "property_group_id": group.json()["id"]}
        assert (await http.post(f"{api}/event_schemas/", json=link)).status_code == 201

        failures = await asyncio.to_thread(_send_with_the_sdk, base, project["api_token"])

        assert failures == []
        log = (await http.get(f"{api}/events/")).json()
        held = (await http.get(f"{api}/quarantine/")).json()
        assert log["count"] + held["count"] == 6
        assert sorted((e["event"], e["distinct_id"], e["properties"]["gzip"]) for e in log["results"]) == [
            ("page viewed", "ada", False),
            ("page viewed", "ada", True),
            ("signed up", "ada", False),
            ("signed up", "ada", True),
        ]
        signup = next(e for e in log["results"] if e["event"] == "signed up")
        assert {"plan": "pro", "seats": 3}.items() <= signup["properties"].items()
        assert signup["properties"]["$lib"] == "posthog-python"
        assert sorted((e["distinct_id"], e["properties"]["gzip"], e["reasons"][0]) for e in held["results"]) == [
            ("bob", False, "type_mismatch"),
            ("bob", True, "type_mismatch"),
        ]
        definitions = (await http.get(f"{api}/event_definitions/")).json()["results"]
        assert sorted(d["name"] for d in definitions) == ["page viewed", "signed up"]
