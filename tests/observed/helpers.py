"""Sending traffic and reading what was observed of it."""

from typing import Any

import httpx
from fastapi import FastAPI

from tests.enforcement.helpers import api, captured_ok, project_token
from tests.factories import Account


async def send(app: FastAPI, client: httpx.AsyncClient, account: Account, events: list[dict[str, Any]]) -> None:
    """Capture the events, then write what the gateway observed of them."""
    await captured_ok(client, await project_token(client, account), events)
    await app.state.gateway.observer.flush()


async def definition_id(client: httpx.AsyncClient, account: Account, name: str) -> str:
    found = await api(client, account, "GET", "event_definitions/by_name/", params={"name": name})
    return str(found["id"])


async def observed(client: httpx.AsyncClient, account: Account, name: str, **params: Any) -> list[dict[str, Any]]:
    identifier = await definition_id(client, account, name)
    page = await api(client, account, "GET", f"event_definitions/{identifier}/observed_properties/", params=params)
    return page["results"]  # type: ignore[no-any-return]


def by_name(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in results}
