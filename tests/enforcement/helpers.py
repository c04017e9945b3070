"""Building a tracking plan through the API and sending events through the capture gateway (shared by the
enforcement, capture, quarantine and event log tests)."""

import gzip
from typing import Any

import httpx
import orjson

from tests.factories import Account

SIGNUP_PROPERTIES = [
    {"name": "plan", "property_type": "String", "is_required": True},
    {"name": "seats", "property_type": "Numeric", "is_required": True},
    {"name": "referrer", "property_type": "String"},
    {"name": "trial", "property_type": "Boolean"},
]

# What a schema write of another process adds beside its rows: a new schema version for every project.
NEW_SCHEMA_VERSION = "INSERT INTO schema_changes (project_id, changed_at) SELECT id, CURRENT_TIMESTAMP FROM projects"


async def api(client: httpx.AsyncClient, account: Account, method: str, path: str, **kwargs: Any) -> Any:
    """A request that must succeed; returns its JSON (None for 204)."""
    response = await client.request(method, account.url(path), headers=account.headers, **kwargs)
    assert response.status_code in (200, 201, 204), (method, path, response.status_code, response.text)
    return None if response.status_code == 204 else response.json()


async def define(
    client: httpx.AsyncClient,
    account: Account,
    event: str = "signed up",
    mode: str = "reject",
    properties: list[dict[str, Any]] | None = None,
    group: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An event definition in `mode`, linked to a new group of `properties`; returns the definition and the group."""
    definition = await api(
        client, account, "POST", "event_definitions/", json={"name": event, "enforcement_mode": mode, **fields}
    )
    body = {
        "name": group or f"{event} properties",
        "properties": SIGNUP_PROPERTIES if properties is None else properties,
    }
    created = await api(client, account, "POST", "schema_property_groups/", json=body)
    await api(
        client,
        account,
        "POST",
        "event_schemas/",
        json={"event_definition": definition["id"], "property_group_id": created["id"]},
    )
    return {"definition": definition, "group": created}


async def project_token(client: httpx.AsyncClient, account: Account) -> str:
    response = await client.get(f"/api/projects/{account.project_id}/", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["api_token"]  # type: ignore[no-any-return]


def event(name: str = "signed up", distinct_id: str = "user-1", **properties: Any) -> dict[str, Any]:
    return {"event": name, "distinct_id": distinct_id, "properties": properties}


async def capture(
    client: httpx.AsyncClient, token: str, events: list[dict[str, Any]], path: str = "/batch/", gzipped: bool = False
) -> httpx.Response:
    body = orjson.dumps({"api_key": token, "batch": events})
    headers = {"Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return await client.post(path, content=body, headers=headers)


async def captured_ok(client: httpx.AsyncClient, token: str, events: list[dict[str, Any]]) -> None:
    response = await capture(client, token, events)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": 1}


async def logged(client: httpx.AsyncClient, account: Account, query: str = "") -> list[dict[str, Any]]:
    """The event log, newest first."""
    return (await api(client, account, "GET", f"events/{query}"))["results"]  # type: ignore[no-any-return]


async def quarantined(client: httpx.AsyncClient, account: Account, query: str = "") -> list[dict[str, Any]]:
    return (await api(client, account, "GET", f"quarantine/{query}"))["results"]  # type: ignore[no-any-return]


async def validate(client: httpx.AsyncClient, account: Account, body: dict[str, Any]) -> list[dict[str, Any]]:
    return (await api(client, account, "POST", "event_schemas/validate/", json=body))["results"]  # type: ignore[no-any-return]
