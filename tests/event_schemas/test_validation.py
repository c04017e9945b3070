"""400s of event schema create, PATCH and PUT: required fields, bad ids, unknown ids, duplicate pairs."""

from tests.event_schemas.api import (
    NO_SUCH_ID,
    create_definition,
    create_group,
    does_not_exist,
    error,
    link,
    linked_pair,
)
from tests.factories import Account

REQUIRED = "This field is required."


async def _post(client, account: Account, body: dict):
    return await client.post(account.url("event_schemas/"), json=body, headers=account.headers)


async def test_required_fields(client, account: Account) -> None:
    cases = [
        ({}, "event_definition"),
        ({"property_group_id": NO_SUCH_ID}, "event_definition"),
        ({"event_definition": NO_SUCH_ID}, "property_group_id"),
    ]
    for body, attr in cases:
        response = await _post(client, account, body)
        assert (response.status_code, response.json()) == (400, error("required", REQUIRED, attr))


async def test_required_fields_in_a_form(client, account: Account) -> None:
    response = await client.post(account.url("event_schemas/"), data={"x": "1"}, headers=account.headers)
    assert (response.status_code, response.json()) == (400, error("required", REQUIRED, "event_definition"))


async def test_non_uuid_is_invalid_input(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    definition = await create_definition(client, account, "e")
    for attr, value in [("event_definition", "not-a-uuid"), ("property_group_id", 12), ("property_group_id", "")]:
        body = {"event_definition": definition["id"], "property_group_id": group["id"], attr: value}
        response = await _post(client, account, body)
        assert (value, response.status_code) == (value, 400)
        assert (response.json()["code"], response.json()["attr"]) == ("invalid_input", attr)


async def test_unknown_event_definition(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    response = await _post(client, account, {"event_definition": NO_SUCH_ID, "property_group_id": group["id"]})
    assert response.status_code == 400
    assert response.json() == does_not_exist(NO_SUCH_ID, "event_definition")


async def test_unknown_property_group(client, account: Account) -> None:
    definition = await create_definition(client, account, "e")
    response = await _post(client, account, {"event_definition": definition["id"], "property_group_id": NO_SUCH_ID})
    assert response.status_code == 400
    assert response.json() == does_not_exist(NO_SUCH_ID, "property_group_id")


async def test_duplicate_pair(client, account: Account) -> None:
    existing = await linked_pair(client, account)
    body = {"event_definition": existing["event_definition"], "property_group_id": existing["property_group"]["id"]}
    response = await _post(client, account, body)
    assert response.status_code == 400
    assert response.json() == error("unique", "Property group 'user' is already added to this event schema")


async def test_patch_onto_an_existing_pair_is_refused(client, account: Account) -> None:
    first = await linked_pair(client, account)
    other_group = await create_group(client, account, "other")
    second = await link(client, account, first["event_definition"], other_group["id"])
    response = await client.patch(
        account.url(f"event_schemas/{second['id']}/"),
        json={"property_group_id": first["property_group"]["id"]},
        headers=account.headers,
    )
    assert response.status_code == 400
    assert response.json() == error("unique", "Property group 'user' is already added to this event schema")


async def test_patch_null_is_refused(client, account: Account) -> None:
    existing = await linked_pair(client, account)
    url = account.url(f"event_schemas/{existing['id']}/")
    for attr in ("event_definition", "property_group_id"):
        response = await client.patch(url, json={attr: None}, headers=account.headers)
        assert (response.status_code, response.json()) == (400, error("null", "This field may not be null.", attr))


async def test_patch_with_unknown_ids(client, account: Account) -> None:
    existing = await linked_pair(client, account)
    url = account.url(f"event_schemas/{existing['id']}/")
    response = await client.patch(url, json={"property_group_id": NO_SUCH_ID}, headers=account.headers)
    assert response.status_code == 400
    assert response.json() == does_not_exist(NO_SUCH_ID, "property_group_id")
    response = await client.patch(url, json={"event_definition": NO_SUCH_ID}, headers=account.headers)
    assert response.json() == does_not_exist(NO_SUCH_ID, "event_definition")


async def test_put_requires_both_fields(client, account: Account) -> None:
    existing = await linked_pair(client, account)
    url = account.url(f"event_schemas/{existing['id']}/")
    response = await client.put(url, json={"event_definition": existing["event_definition"]}, headers=account.headers)
    assert response.status_code == 400
    assert response.json() == error("required", REQUIRED, "property_group_id")


async def test_patch_non_uuid(client, account: Account) -> None:
    existing = await linked_pair(client, account)
    url = account.url(f"event_schemas/{existing['id']}/")
    response = await client.patch(url, json={"event_definition": "123"}, headers=account.headers)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["attr"]) == ("invalid_input", "event_definition")


async def test_failed_validation_writes_nothing(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    await _post(client, account, {"event_definition": NO_SUCH_ID, "property_group_id": group["id"]})
    response = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert response.json()["count"] == 0
