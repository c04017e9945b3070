"""Plans written through the ordinary API, and the plan endpoints."""

from typing import Any

import httpx

from tests.factories import Account

PLAN: dict[str, Any] = {
    "version": 1,
    "validation_mode": "posthog",
    "property_groups": {
        "account": {
            "description": "Who signed up",
            "properties": {
                "plan": {
                    "property_type": "String",
                    "is_required": True,
                    "is_optional_in_types": False,
                    "description": "",
                },
                "seats": {
                    "property_type": "Numeric",
                    "is_required": False,
                    "is_optional_in_types": True,
                    "description": "paid seats",
                    "validation_rules": {"minimum": 1, "maximum": 500},
                },
            },
        },
        "empty": {"description": "", "properties": {}},
    },
    "events": {
        "logged_in": {"description": "", "enforcement_mode": "allow", "flag_unexpected": False, "property_groups": []},
        "signed_up": {
            "description": "A new account",
            "enforcement_mode": "reject",
            "flag_unexpected": True,
            "property_groups": ["account", "empty"],
        },
    },
}


async def apply(client: httpx.AsyncClient, account: Account, plan: Any, **options: Any) -> httpx.Response:
    return await client.post(account.url("plan/apply/"), json={"plan": plan, **options}, headers=account.headers)


async def export(client: httpx.AsyncClient, account: Account, **params: Any) -> httpx.Response:
    return await client.get(account.url("plan/"), params=params, headers=account.headers)


async def post(client: httpx.AsyncClient, account: Account, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(account.url(path), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
