"""Creating event definitions (and the group links that hang off them) through the API."""

from typing import Any

import httpx

from tests.factories import Account

DEFINITION_KEYS = {
    "id",
    "name",
    "description",
    "enforcement_mode",
    "flag_unexpected",
    "schema_version",
    "created_at",
    "last_seen_at",
}


async def create_definition(client: httpx.AsyncClient, account: Account, name: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        account.url("event_definitions/"), json={"name": name, **fields}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def names(client: httpx.AsyncClient, account: Account, query: str = "") -> list[str]:
    response = await client.get(account.url(f"event_definitions/{query}"), headers=account.headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["results"]]
