"""400s of property group create and update: field rules and exact PostHog messages."""

from tests.event_schemas.api import create_group, error, prop
from tests.factories import Account

DUPLICATE_GROUP = "A property group with this name already exists for this team"
REQUIRED = error("required", "This field is required.", "name")
BLANK = "This field may not be blank."
NULL = "This field may not be null."
INVALID_TYPE = (
    '"Duration" is not a valid choice. Choose one of: DateTime, String, Numeric, Boolean, Object, Any, Array.'
)

# (body, the exact error it gets); none of them writes anything.
INVALID_BODIES = [
    ({"description": "d"}, REQUIRED),
    ({"name": ""}, error("blank", BLANK, "name")),
    ({"name": "   "}, error("blank", BLANK, "name")),
    ({"name": "n" * 401}, error("max_length", "Ensure this field has no more than 400 characters.", "name")),
    ({"name": None}, error("null", NULL, "name")),
    (
        {"name": "g", "properties": [prop("a"), prop("b"), prop(" a", "Numeric")]},
        error("invalid_input", "A property named 'a' already exists in this group", "properties"),
    ),
    ({"name": "g", "properties": [prop("ok"), prop("")]}, error("blank", BLANK, "properties__1__name")),
    ({"name": "g", "properties": [prop("ok"), prop("  ")]}, error("blank", BLANK, "properties__1__name")),
    (
        {"name": "g", "properties": [prop("p" * 201)]},
        error("invalid_input", "Property name must be 200 characters or less", "properties__0__name"),
    ),
    (
        {"name": "g", "properties": [prop("a", "Duration")]},
        error("invalid_choice", INVALID_TYPE, "properties__0__property_type"),
    ),
    (
        {"name": "g", "properties": [{"name": "a"}]},
        error("required", "This field is required.", "properties__0__property_type"),
    ),
    (
        {"name": "g", "properties": [{"property_type": "String"}]},
        error("required", "This field is required.", "properties__0__name"),
    ),
    (
        {"name": "g", "properties": [prop("a", is_required="maybe")]},
        error("invalid_input", "Must be a valid boolean.", "properties__0__is_required"),
    ),
    ({"name": "g", "properties": [prop("a", is_required=None)]}, error("null", NULL, "properties__0__is_required")),
    ({"name": "g", "properties": [prop("a", description=None)]}, error("null", NULL, "properties__0__description")),
    ({"name": "g", "properties": [prop("a", property_type=None)]}, error("null", NULL, "properties__0__property_type")),
]


async def _create(client, account: Account, body: dict):
    return await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)


async def _count(client, account: Account) -> int:
    return (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()["count"]


async def test_each_invalid_body_gets_its_exact_error(client, account: Account) -> None:
    for body, expected in INVALID_BODIES:
        response = await _create(client, account, body)
        assert (body, response.status_code, response.json()) == (body, 400, expected)
    assert await _count(client, account) == 0


async def test_longest_valid_names(client, account: Account) -> None:
    response = await _create(client, account, {"name": "n" * 400, "properties": [prop("p" * 200)]})
    assert response.status_code == 201


async def test_properties_must_be_a_list(client, account: Account) -> None:
    response = await _create(client, account, {"name": "g", "properties": "a,b"})
    assert response.status_code == 400
    assert (response.json()["type"], response.json()["attr"]) == ("validation_error", "properties")


async def test_duplicate_group_name(client, account: Account) -> None:
    await create_group(client, account, "billing")
    response = await _create(client, account, {"name": " billing "})
    assert response.status_code == 400
    assert response.json() == error("invalid_input", DUPLICATE_GROUP, "name")
    assert await _count(client, account) == 1


async def test_patch_null_is_refused(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    url = account.url(f"schema_property_groups/{group['id']}/")
    for field in ("name", "description", "properties"):
        response = await client.patch(url, json={field: None}, headers=account.headers)
        assert (response.status_code, response.json()) == (400, error("null", NULL, field))
    assert (await client.get(url, headers=account.headers)).json() == group


async def test_patch_to_an_existing_name(client, account: Account) -> None:
    await create_group(client, account, "taken")
    group = await create_group(client, account, "g")
    url = account.url(f"schema_property_groups/{group['id']}/")
    response = await client.patch(url, json={"name": "taken"}, headers=account.headers)
    assert response.status_code == 400
    assert response.json() == error("invalid_input", DUPLICATE_GROUP, "name")
    assert (await client.get(url, headers=account.headers)).json()["name"] == "g"


async def test_patch_field_rules(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    url = account.url(f"schema_property_groups/{group['id']}/")
    cases = [
        ({"name": "n" * 401}, error("max_length", "Ensure this field has no more than 400 characters.", "name")),
        ({"name": " "}, error("blank", BLANK, "name")),
        (
            {"properties": [prop("b"), prop("b")]},
            error("invalid_input", "A property named 'b' already exists in this group", "properties"),
        ),
        (
            {"properties": [prop("a", "Duration")]},
            error("invalid_choice", INVALID_TYPE, "properties__0__property_type"),
        ),
    ]
    for body, expected in cases:
        response = await client.patch(url, json=body, headers=account.headers)
        assert (body, response.status_code, response.json()) == (body, 400, expected)
    assert (await client.get(url, headers=account.headers)).json() == group


async def test_put_requires_name(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    url = account.url(f"schema_property_groups/{group['id']}/")
    response = await client.put(url, json={"description": "d"}, headers=account.headers)
    assert (response.status_code, response.json()) == (400, REQUIRED)


async def test_malformed_json(client, account: Account) -> None:
    headers = {**account.headers, "Content-Type": "application/json"}
    response = await client.post(account.url("schema_property_groups/"), content=b"{", headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert list(response.json()) == ["type", "code", "detail", "attr"]
