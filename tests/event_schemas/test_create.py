"""POST event_schemas/: the created link and its full nested shape, in every accepted body encoding."""

from tests.event_schemas.api import (
    EVENT_SCHEMA_KEYS,
    GROUP_KEYS,
    PROPERTY_KEYS,
    USER_BASIC_KEYS,
    create_definition,
    create_group,
    prop,
)
from tests.factories import Account


async def _pair(client, account: Account) -> tuple[dict, dict]:
    definition = await create_definition(client, account, "purchase")
    group = await create_group(
        client,
        account,
        "order",
        [prop("total", "Numeric", is_required=True), prop("currency", description="ISO 4217"), prop("coupon")],
        description="Order fields",
    )
    return definition, group


async def test_create_returns_201_with_the_full_nested_shape(client, account: Account) -> None:
    definition, group = await _pair(client, account)
    body = {"event_definition": definition["id"], "property_group_id": group["id"]}
    response = await client.post(account.url("event_schemas/"), json=body, headers=account.headers)
    assert response.status_code == 201
    created = response.json()
    assert list(created) == EVENT_SCHEMA_KEYS
    assert created["event_definition"] == definition["id"]
    assert created["created_at"].endswith("Z") and created["updated_at"].endswith("Z")
    nested = created["property_group"]
    assert created["property_group_id"] == nested["id"] == group["id"]
    assert list(nested) == GROUP_KEYS
    assert (nested["id"], nested["name"], nested["description"]) == (group["id"], "order", "Order fields")
    assert nested["events"] == [{"id": definition["id"], "name": "purchase"}]
    assert [p["name"] for p in nested["properties"]] == ["coupon", "currency", "total"]
    assert all(list(p) == PROPERTY_KEYS for p in nested["properties"])
    assert list(nested["created_by"]) == USER_BASIC_KEYS
    assert nested["created_by"]["email"] == account.email


async def test_created_property_values_and_defaults(client, account: Account) -> None:
    definition, group = await _pair(client, account)
    body = {"event_definition": definition["id"], "property_group_id": group["id"]}
    response = await client.post(account.url("event_schemas/"), json=body, headers=account.headers)
    total = response.json()["property_group"]["properties"][2]
    assert total["name"] == "total"
    assert total["property_type"] == "Numeric"
    assert (total["is_required"], total["is_optional_in_types"], total["description"]) == (True, False, "")
    assert total["created_at"].endswith("Z") and total["updated_at"].endswith("Z")


async def test_create_accepts_form_encoded_body(client, account: Account) -> None:
    definition, group = await _pair(client, account)
    data = {"event_definition": definition["id"], "property_group_id": group["id"]}
    response = await client.post(account.url("event_schemas/"), data=data, headers=account.headers)
    assert response.status_code == 201
    assert response.json()["property_group"]["id"] == group["id"]


async def test_create_accepts_multipart_body(client, account: Account) -> None:
    definition, group = await _pair(client, account)
    files = {"event_definition": (None, definition["id"]), "property_group_id": (None, group["id"])}
    response = await client.post(account.url("event_schemas/"), files=files, headers=account.headers)
    assert response.status_code == 201
    assert response.json()["event_definition"] == definition["id"]


async def test_malformed_json_is_a_parse_error(client, account: Account) -> None:
    headers = {**account.headers, "Content-Type": "application/json"}
    response = await client.post(account.url("event_schemas/"), content=b'{"event_definition": ', headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert list(response.json()) == ["type", "code", "detail", "attr"]


async def test_other_content_type_is_415(client, account: Account) -> None:
    headers = {**account.headers, "Content-Type": "text/plain"}
    response = await client.post(account.url("event_schemas/"), content=b"event_definition=x", headers=headers)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
