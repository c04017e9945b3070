"""schema_hash through the API, on both back ends: what changes it and what does not."""

from typing import Any

from tests.event_schemas.api import create_definition, create_group, link, prop
from tests.factories import Account, make_account

PROPERTIES = [
    prop("amount", "Numeric", is_required=True),
    prop("currency", "String", is_required=True, is_optional_in_types=True),
    prop("note", "String", description="free text"),
]


async def _hash(client, account: Account) -> str:
    response = await client.get(account.url("event_definitions/json/"), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["schema_hash"]


async def _plan(client, account: Account) -> tuple[dict[str, Any], dict[str, Any]]:
    definition = await create_definition(client, account, "purchase")
    group = await create_group(client, account, "order", PROPERTIES)
    await link(client, account, definition["id"], group["id"])
    return definition, group


async def _patch(client, account: Account, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.patch(account.url(path), json=body, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_same_schemas_in_another_project_give_the_same_hash(client, db, account: Account) -> None:
    await _plan(client, account)
    other = await make_account(db, email="other@example.com", project="Other project")
    assert other.project_id != account.project_id
    await _plan(client, other)
    assert await _hash(client, account) == await _hash(client, other)


async def test_descriptions_do_not_change_the_hash(client, account: Account) -> None:
    definition, group = await _plan(client, account)
    before = await _hash(client, account)
    await _patch(client, account, f"event_definitions/{definition['id']}/", {"description": "changed"})
    properties = [{**p, "description": "changed"} for p in group["properties"]]
    await _patch(
        client, account, f"schema_property_groups/{group['id']}/", {"description": "x", "properties": properties}
    )
    assert await _hash(client, account) == before


async def test_names_types_and_flags_change_the_hash(client, account: Account) -> None:
    definition, group = await _plan(client, account)
    seen = {await _hash(client, account)}
    properties, amount = group["properties"], group["properties"][0]["id"]
    for change in (
        {"name": "total"},
        {"property_type": "String"},
        {"is_required": False},
        {"is_optional_in_types": True},
    ):
        properties = [{**p, **change} if p["id"] == amount else p for p in properties]
        updated = await _patch(client, account, f"schema_property_groups/{group['id']}/", {"properties": properties})
        properties = updated["properties"]
        seen.add(await _hash(client, account))
    await _patch(client, account, f"event_definitions/{definition['id']}/", {"name": "order placed"})
    seen.add(await _hash(client, account))
    assert len(seen) == 6
