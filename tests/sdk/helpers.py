"""A real `eventschema serve` with a project whose `signed up` events are checked in `reject` mode, for the
tests that drive the official SDKs against it."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.cli.helpers import run_cli
from tests.enforcement.helpers import SIGNUP_PROPERTIES
from tests.enforcement.servers import serving


@dataclass
class Gateway:
    base: str
    token: str
    api: httpx.AsyncClient  # the project's API, authenticated

    async def events(self, name: str | None = None) -> list[dict[str, Any]]:
        query = f"&event={name}" if name else ""
        return await self._all(f"events/?limit=1000{query}")

    async def quarantined(self) -> list[dict[str, Any]]:
        return await self._all("quarantine/?limit=1000")

    async def _all(self, path: str) -> list[dict[str, Any]]:
        response = await self.api.get(path)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["next"] is None, "more than one page"
        return body["results"]  # type: ignore[no-any-return]


@asynccontextmanager
async def gateway(database_url: str, cwd: Path, **environment: str) -> AsyncIterator[Gateway]:
    boot = (await run_cli("bootstrap", "--json", database_url=database_url, cwd=cwd)).json()
    [project] = (await run_cli("projects", "list", "--json", database_url=database_url, cwd=cwd)).json()
    headers = {"Authorization": f"Bearer {boot['api_key']}"}
    async with serving(database_url, cwd, **environment) as base:
        api_base = f"{base}/api/projects/{project['id']}/"
        async with httpx.AsyncClient(base_url=api_base, headers=headers, timeout=10) as api:
            definition = await api.post("event_definitions/", json={"name": "signed up", "enforcement_mode": "reject"})
            group = await api.post("schema_property_groups/", json={"name": "signup", "properties": SIGNUP_PROPERTIES})
            link = {"event_definition": definition.json()["id"], "property_group_id": group.json()["id"]}
            assert (await api.post("event_schemas/", json=link)).status_code == 201
            yield Gateway(base, project["api_token"], api)
