"""`validation_rules` on the properties of a group: every key on the types it applies to, every refusal with its
`attr`, the stored (normalised) form, and the rules shown wherever a property is shown."""

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from eventschema.db import Database
from tests.event_schemas.api import NO_SUCH_ID, NOT_FOUND, create_definition, create_group, error, link, prop
from tests.factories import Account

NESTED_DEFAULTS = {"is_required": False, "is_optional_in_types": False, "description": "", "validation_rules": None}
ITEM_DEFAULTS = {"description": "", "validation_rules": None}
SCALAR_TYPES = ("String", "Numeric", "Boolean", "DateTime", "Any")

# (property type, rules as sent): each is stored exactly as sent.
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    *[(kind, {"enum": ["free", 2, 2.5, True]}) for kind in SCALAR_TYPES],
    *[(kind, {"not": {"enum": ["banned", 0, False]}}) for kind in SCALAR_TYPES],
    ("Numeric", {"minimum": 0, "maximum": 10.5}),
    ("Numeric", {"exclusiveMinimum": -1.5, "exclusiveMaximum": 100}),
    ("Numeric", {"minimum": 5, "maximum": 5}),
    ("Numeric", {"minimum": -1e300, "maximum": 12345678901234567}),
    ("String", {"enum": ["", "a\x00b", "é✓"]}),
    ("Numeric", {"enum": [1, 2], "not": {"enum": [3]}, "minimum": 1, "exclusiveMaximum": 9}),
    ("String", {"pattern": "^[a-z]+-\\d{2}$"}),
    ("String", {"pattern": "(?i)pro|free"}),
    ("String", {"minLength": 0, "maxLength": 0}),
    ("String", {"minLength": 2, "maxLength": 40}),
    *[("String", {"format": name}) for name in ("email", "uri", "uuid", "date", "date-time")],
    ("String", {"enum": ["a", "b"], "pattern": "^[ab]$", "minLength": 1, "maxLength": 1, "format": "email"}),
    ("Object", {"additionalProperties": False}),
    ("Object", {"properties": []}),
    ("Array", {"minItems": 1, "maxItems": 3}),
    ("Array", {"minItems": 0}),
]


async def _create(client, account: Account, properties: list[dict[str, Any]], name: str = "g"):
    body = {"name": name, "properties": properties}
    return await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)


async def _rules_of(client, account: Account, property_type: str, rules: Any) -> Any:
    properties = [prop("p", property_type, validation_rules=rules)]
    response = await _create(client, account, properties, name=uuid.uuid4().hex)
    assert response.status_code == 201, response.text
    return response.json()["properties"][0]["validation_rules"]


async def test_every_key_on_every_type_it_applies_to(client, account: Account) -> None:
    for index, (property_type, rules) in enumerate(ACCEPTED):
        response = await _create(client, account, [prop("p", property_type, validation_rules=rules)], f"g{index}")
        assert (property_type, rules, response.status_code) == (property_type, rules, 201), response.text
        stored = response.json()["properties"][0]["validation_rules"]
        assert stored == rules
        detail = await client.get(
            account.url(f"schema_property_groups/{response.json()['id']}/"), headers=account.headers
        )
        assert detail.json()["properties"][0]["validation_rules"] == rules


async def test_nested_declarations_are_stored_with_every_field(client, account: Account) -> None:
    rules = {
        "additionalProperties": False,
        "properties": [
            {"name": "sku", "property_type": "String", "is_required": True, "validation_rules": {"pattern": "^S"}},
            {
                "name": "tags",
                "property_type": "Array",
                "validation_rules": {"items": {"property_type": "String", "validation_rules": {"maxLength": 8}}},
            },
            {"name": "meta", "property_type": "Any", "description": "free", "is_optional_in_types": True},
        ],
    }
    stored = await _rules_of(client, account, "Object", rules)
    string_item = {**ITEM_DEFAULTS, "property_type": "String", "validation_rules": {"maxLength": 8}}
    assert stored == {
        "properties": [
            {**NESTED_DEFAULTS, "name": "sku", "property_type": "String", "is_required": True}
            | {"validation_rules": {"pattern": "^S"}},
            {**NESTED_DEFAULTS, "name": "tags", "property_type": "Array"}
            | {"validation_rules": {"items": string_item}},
            {**NESTED_DEFAULTS, "name": "meta", "property_type": "Any", "description": "free"}
            | {"is_optional_in_types": True},
        ],
        "additionalProperties": False,
    }
    assert list(stored) == ["properties", "additionalProperties"]
    sku, tags, _meta = stored["properties"]
    assert list(sku) == [
        "name",
        "property_type",
        "is_required",
        "is_optional_in_types",
        "description",
        "validation_rules",
    ]
    assert list(tags["validation_rules"]["items"]) == ["property_type", "description", "validation_rules"]


async def test_stored_keys_follow_the_contracts_order(client, account: Account) -> None:
    sent = {"maxLength": 9, "format": "uri", "pattern": "x", "minLength": 1, "not": {"enum": ["y"]}, "enum": ["x"]}
    stored = await _rules_of(client, account, "String", sent)
    assert list(stored) == ["enum", "not", "pattern", "minLength", "maxLength", "format"]
    sent = {"maxItems": 2, "items": {"property_type": "Numeric"}, "minItems": 1}
    assert list(await _rules_of(client, account, "Array", sent)) == ["items", "minItems", "maxItems"]


@pytest.mark.parametrize("empty", [{}, None, {"enum": None, "pattern": None}])
async def test_no_rules_are_null(client, account: Account, empty: Any) -> None:
    assert await _rules_of(client, account, "String", empty) is None


async def test_empty_nested_rules_are_null(client, account: Account) -> None:
    rules = {"items": {"property_type": "Object", "validation_rules": {}}}
    assert await _rules_of(client, account, "Array", rules) == {"items": {**ITEM_DEFAULTS, "property_type": "Object"}}


async def test_rules_default_to_null(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b", "Any"), prop("c", "Array")])
    assert [(p["property_type"], p["validation_rules"]) for p in group["properties"]] == [
        ("String", None),
        ("Any", None),
        ("Array", None),
    ]


async def test_five_levels_of_nesting_are_accepted(client, account: Account) -> None:
    assert await _rules_of(client, account, "Object", _nested(5)) == _nested(5, filled=True)


def _nested(levels: int, filled: bool = False) -> dict[str, Any] | None:
    """Object rules nesting `levels` levels of declarations: nested properties at odd levels, array items at even."""
    rules: dict[str, Any] | None = None
    for level in range(levels, 0, -1):
        kind = "Object" if rules is None or "properties" in rules else "Array"
        if level % 2:
            declaration = {**(NESTED_DEFAULTS if filled else {}), "name": "x", "property_type": kind}
            rules = {"properties": [{**declaration, "validation_rules": rules}]}
        else:
            item = {**(ITEM_DEFAULTS if filled else {}), "property_type": kind}
            rules = {"items": {**item, "validation_rules": rules}}
    return rules


RULES_AT = "properties__2__validation_rules"


def _refusal(code: str, detail: str, below: str) -> dict[str, Any]:
    return error(code, detail, f"{RULES_AT}__{below}" if below else RULES_AT)


def _empty_range(low: str, low_value: object, high: str, high_value: object, below: str = "") -> dict[str, Any]:
    detail = f"No value can satisfy both {low} {low_value} and {high} {high_value}."
    return _refusal("invalid_input", detail, below or low)


def _not_regex(reason: str) -> dict[str, Any]:
    return _refusal("invalid_input", f"Not a valid regular expression ({reason}). {RE2}", "pattern")


def _not_for(key: str, property_type: str, allowed: str) -> dict[str, Any]:
    return _refusal("invalid_input", f'"{key}" does not apply to a {property_type} property (only to {allowed}).', key)


SCALARS = "String, Numeric, Boolean, DateTime, Any"
RE2 = "Patterns use RE2 syntax, which has no lookarounds and no backreferences."
# (property type, rules, the error): always sent as the third property of a new group.
REFUSED: list[tuple[str, Any, dict[str, Any]]] = [
    # a rule on a type it does not apply to
    ("Boolean", {"minLength": 1}, _not_for("minLength", "Boolean", "String")),
    ("Object", {"enum": ["a"]}, _not_for("enum", "Object", SCALARS)),
    ("Array", {"not": {"enum": ["a"]}}, _not_for("not", "Array", SCALARS)),
    ("String", {"minimum": 1}, _not_for("minimum", "String", "Numeric")),
    ("DateTime", {"maximum": 1}, _not_for("maximum", "DateTime", "Numeric")),
    ("Any", {"exclusiveMinimum": 1}, _not_for("exclusiveMinimum", "Any", "Numeric")),
    ("Boolean", {"exclusiveMaximum": 1}, _not_for("exclusiveMaximum", "Boolean", "Numeric")),
    ("Numeric", {"pattern": "a"}, _not_for("pattern", "Numeric", "String")),
    ("Array", {"maxLength": 1}, _not_for("maxLength", "Array", "String")),
    ("DateTime", {"format": "date"}, _not_for("format", "DateTime", "String")),
    ("Array", {"properties": []}, _not_for("properties", "Array", "Object")),
    ("String", {"additionalProperties": True}, _not_for("additionalProperties", "String", "Object")),
    ("Object", {"items": {"property_type": "String"}}, _not_for("items", "Object", "Array")),
    ("String", {"minItems": 1}, _not_for("minItems", "String", "Array")),
    ("Object", {"maxItems": 1}, _not_for("maxItems", "Object", "Array")),
    # unknown keys, here and inside `not` and nested declarations
    ("String", {"maxlength": 3}, _refusal("invalid_input", "Unknown field.", "maxlength")),
    ("String", {"not": {"enum": ["a"], "pattern": "b"}}, _refusal("invalid_input", "Unknown field.", "not__pattern")),
    (
        "Object",
        {"properties": [{"name": "a", "property_type": "String", "id": "x"}]},
        _refusal("invalid_input", "Unknown field.", "properties__0__id"),
    ),
    # empty ranges
    ("Numeric", {"minimum": 10, "maximum": 5}, _empty_range("minimum", 10, "maximum", 5)),
    ("Numeric", {"minimum": 5, "exclusiveMaximum": 5}, _empty_range("minimum", 5, "exclusiveMaximum", 5)),
    ("Numeric", {"exclusiveMinimum": 5, "maximum": 5}, _empty_range("exclusiveMinimum", 5, "maximum", 5)),
    (
        "Numeric",
        {"exclusiveMinimum": 2.5, "exclusiveMaximum": 1},
        _empty_range("exclusiveMinimum", 2.5, "exclusiveMaximum", 1),
    ),
    ("String", {"minLength": 3, "maxLength": 2}, _empty_range("minLength", 3, "maxLength", 2)),
    ("Array", {"minItems": 3, "maxItems": 2}, _empty_range("minItems", 3, "maxItems", 2)),
    # values of the wrong kind
    ("Numeric", {"minimum": "5"}, _refusal("invalid_input", "A valid number is required.", "minimum")),
    ("Numeric", {"maximum": True}, _refusal("invalid_input", "A valid number is required.", "maximum")),
    (
        "String",
        {"minLength": -1},
        _refusal("min_value", "Ensure this value is greater than or equal to 0.", "minLength"),
    ),
    ("String", {"maxLength": 1.5}, _refusal("invalid_input", "A valid integer is required.", "maxLength")),
    ("Array", {"minItems": "1"}, _refusal("invalid_input", "A valid integer is required.", "minItems")),
    ("String", {"format": "phone"}, _refusal("invalid_choice", '"phone" is not a valid choice.', "format")),
    ("String", {"pattern": 5}, _refusal("invalid_input", "Not a valid string.", "pattern")),
    (
        "Object",
        {"additionalProperties": "sometimes"},
        _refusal("invalid_input", "Must be a valid boolean.", "additionalProperties"),
    ),
    ("String", "pro", error("invalid_input", "Invalid data. Expected a dictionary, but got str.", RULES_AT)),
    # enums
    ("String", {"enum": []}, _refusal("empty", "This list may not be empty.", "enum")),
    ("String", {"enum": "a"}, _refusal("not_a_list", 'Expected a list of items but got type "str".', "enum")),
    (
        "String",
        {"enum": [str(n) for n in range(1001)]},
        _refusal("max_length", "Ensure this field has no more than 1000 elements.", "enum"),
    ),
    ("String", {"enum": ["a", "b", "a"]}, _refusal("unique", 'The value "a" appears more than once.', "enum")),
    ("Numeric", {"enum": [1, 1.0]}, _refusal("unique", "The value 1.0 appears more than once.", "enum")),
    (
        "String",
        {"enum": ["a", ["b"]]},
        _refusal("invalid_input", "Enum values must be strings, numbers or booleans.", "enum__1"),
    ),
    (
        "String",
        {"enum": [{"a": 1}]},
        _refusal("invalid_input", "Enum values must be strings, numbers or booleans.", "enum__0"),
    ),
    ("String", {"enum": ["a", None]}, _refusal("null", "This field may not be null.", "enum__1")),
    ("String", {"not": {"enum": ["x", "x"]}}, _refusal("unique", 'The value "x" appears more than once.', "not__enum")),
    ("String", {"not": {}}, _refusal("required", "This field is required.", "not__enum")),
    ("String", {"not": {"enum": []}}, _refusal("empty", "This list may not be empty.", "not__enum")),
    # patterns RE2 cannot run
    ("String", {"pattern": "(?=a)b"}, _not_regex("invalid perl operator: (?=")),
    ("String", {"pattern": "(?<!a)b"}, _not_regex("invalid perl operator: (?<!")),
    ("String", {"pattern": "(a)\\1"}, _not_regex("invalid escape sequence: \\1")),
    ("String", {"pattern": "[a-"}, _not_regex("missing ]: [a-")),
    ("String", {"pattern": "((a{100}){100}){100}"}, _not_regex("invalid repetition size: {100}")),
    (
        "String",
        {"pattern": "a\x00"},
        _refusal("null_characters_not_allowed", "Null characters are not allowed.", "pattern"),
    ),
    # nested declarations
    (
        "Object",
        {"properties": [prop("a"), prop("b"), prop("a", "Numeric")]},
        _refusal("unique", "A property named 'a' is declared more than once here", "properties"),
    ),
    (
        "Object",
        {"properties": [prop("a", "Duration")]},
        _refusal(
            "invalid_choice",
            '"Duration" is not a valid choice. Choose one of: DateTime, String, Numeric, Boolean, Object, Any, Array.',
            "properties__0__property_type",
        ),
    ),
    ("Object", {"properties": [prop(" ")]}, _refusal("blank", "This field may not be blank.", "properties__0__name")),
    (
        "Object",
        {"properties": [{"property_type": "String"}]},
        _refusal("required", "This field is required.", "properties__0__name"),
    ),
    ("Array", {"items": {"name": "a"}}, _refusal("required", "This field is required.", "items__property_type")),
    (
        "Array",
        {"items": {"property_type": "String", "name": "a"}},
        _refusal("invalid_input", "Unknown field.", "items__name"),
    ),
    (
        "Object",
        {
            "properties": [
                prop(
                    "a",
                    "Object",
                    validation_rules={
                        "properties": [prop("b", "Boolean", validation_rules={"enum": [True], "pattern": "x"})]
                    },
                )
            ]
        },
        _refusal(
            "invalid_input",
            '"pattern" does not apply to a Boolean property (only to String).',
            "properties__0__validation_rules__properties__0__validation_rules__pattern",
        ),
    ),
    (
        "Array",
        {"items": {"property_type": "Numeric", "validation_rules": {"minimum": 3, "maximum": 1}}},
        _empty_range("minimum", 3, "maximum", 1, "items__validation_rules__minimum"),
    ),
    (
        "Array",
        {"items": {"property_type": "String", "validation_rules": {"enum": [1, 1]}}},
        _refusal("unique", "The value 1 appears more than once.", "items__validation_rules__enum"),
    ),
    (
        "Object",
        _nested(6),
        _refusal(
            "max_depth",
            "Nested declarations go at most 5 levels deep; properties__0__validation_rules__items__validation_rules"
            "__properties__0__validation_rules__items__validation_rules__properties__0__validation_rules__items goes "
            "deeper.",
            "",
        ),
    ),
]


async def test_every_refusal_names_the_property_and_the_rule(client, account: Account) -> None:
    for property_type, rules, expected in REFUSED:
        properties = [prop("a"), prop("b"), prop("c", property_type, validation_rules=rules)]
        response = await _create(client, account, properties)
        assert (rules, response.status_code, response.json()) == (rules, 400, expected)
    listed = await client.get(account.url("schema_property_groups/"), headers=account.headers)
    assert listed.json()["count"] == 0


async def test_a_deeply_nested_body_is_refused_at_the_depth_limit(client, account: Account) -> None:
    properties = [prop("a"), prop("b"), prop("c", "Object", validation_rules=_nested(200))]
    response = await _create(client, account, properties)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["attr"]) == ("max_depth", RULES_AT)


async def test_updates_refuse_what_create_refuses(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b", "Numeric", validation_rules={"minimum": 1})])
    url = account.url(f"schema_property_groups/{group['id']}/")
    properties = [prop("x"), prop("y"), prop("z", "Boolean", validation_rules={"minLength": 1})]
    expected = _not_for("minLength", "Boolean", "String")
    for method, body in (("PATCH", {"properties": properties}), ("PUT", {"name": "g", "properties": properties})):
        response = await client.request(method, url, json=body, headers=account.headers)
        assert (method, response.status_code, response.json()) == (method, 400, expected)
    assert (await client.get(url, headers=account.headers)).json() == group


async def test_updates_store_and_change_rules_keeping_ids(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan", validation_rules={"enum": ["free"]})])
    plan = group["properties"][0]
    url = account.url(f"schema_property_groups/{group['id']}/")
    changed = {"id": plan["id"], **prop("plan", validation_rules={"enum": ["free", "pro"], "maxLength": 4})}
    body = {"properties": [changed, prop("seats", "Numeric", validation_rules={"minimum": 1})]}
    response = await client.patch(url, json=body, headers=account.headers)
    assert response.status_code == 200, response.text
    by_name = {p["name"]: p for p in response.json()["properties"]}
    assert by_name["plan"]["id"] == plan["id"]
    assert by_name["plan"]["validation_rules"] == {"enum": ["free", "pro"], "maxLength": 4}
    assert by_name["plan"]["updated_at"] > plan["updated_at"]
    assert by_name["seats"]["validation_rules"] == {"minimum": 1}
    # An entry is the whole property: leaving out its rules leaves it without any, as PostHog does.
    body = {"name": "g", "properties": [{"id": plan["id"], **prop("plan")}]}
    response = await client.put(url, json=body, headers=account.headers)
    assert [p["validation_rules"] for p in response.json()["properties"]] == [None]


async def test_rules_are_shown_in_lists_details_and_event_schemas(client, account: Account) -> None:
    rules = {"enum": ["free", "pro"], "not": {"enum": ["banned"]}}
    group = await create_group(client, account, "g", [prop("plan", validation_rules=rules), prop("seats", "Numeric")])
    definition = await create_definition(client, account, "signed up")
    link_body = await link(client, account, definition["id"], group["id"])
    expected = [("plan", rules), ("seats", None)]

    def shown(group_body: dict[str, Any]) -> list[tuple[str, Any]]:
        return [(p["name"], p["validation_rules"]) for p in group_body["properties"]]

    assert shown(link_body["property_group"]) == expected
    groups = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()
    assert shown(groups["results"][0]) == expected
    detail = await client.get(account.url(f"schema_property_groups/{group['id']}/"), headers=account.headers)
    assert shown(detail.json()) == expected
    links = (await client.get(account.url("event_schemas/"), headers=account.headers)).json()
    assert shown(links["results"][0]["property_group"]) == expected
    one = await client.get(account.url(f"event_schemas/{link_body['id']}/"), headers=account.headers)
    assert shown(one.json()["property_group"]) == expected


async def test_cached_groups_show_changed_rules_at_once(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan", validation_rules={"enum": ["free"]})])
    definition = await create_definition(client, account, "signed up")
    await link(client, account, definition["id"], group["id"])
    for path in ("schema_property_groups/", "event_schemas/"):  # rendered and kept
        await client.get(account.url(path), headers=account.headers)
    body = {"properties": [{"id": group["properties"][0]["id"], **prop("plan", validation_rules={"enum": ["pro"]})}]}
    response = await client.patch(
        account.url(f"schema_property_groups/{group['id']}/"), json=body, headers=account.headers
    )
    assert response.status_code == 200
    groups = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()["results"]
    links = (await client.get(account.url("event_schemas/"), headers=account.headers)).json()["results"]
    assert groups[0]["properties"][0]["validation_rules"] == {"enum": ["pro"]}
    assert links[0]["property_group"]["properties"][0]["validation_rules"] == {"enum": ["pro"]}


async def test_no_rules_are_stored_as_sql_null(client, db: Database, account: Account) -> None:
    """Not as a JSON `null`, so that `validation_rules IS NULL` finds every property without rules."""
    group = await create_group(client, account, "g", [prop("a"), prop("b", validation_rules={"enum": ["x"]})])
    body = {"properties": [*({"id": p["id"], **prop(p["name"])} for p in group["properties"]), prop("c")]}
    await client.patch(account.url(f"schema_property_groups/{group['id']}/"), json=body, headers=account.headers)
    await client.post(
        account.url(f"schema_property_groups/{group['id']}/properties/"), json=prop("d"), headers=account.headers
    )
    async with db.session(write=False) as session:
        rows = await session.execute(text("SELECT name FROM schema_properties WHERE validation_rules IS NULL"))
        assert sorted(rows.scalars()) == ["a", "b", "c", "d"]


async def test_an_unknown_group_is_404_before_its_rules_are_checked(client, account: Account) -> None:
    body = {"properties": [prop("on", "Boolean", validation_rules={"minLength": 1})]}
    url = account.url(f"schema_property_groups/{NO_SUCH_ID}/")
    for method in ("PATCH", "PUT"):
        response = await client.request(method, url, json={"name": "g", **body}, headers=account.headers)
        assert (method, response.status_code, response.json()) == (method, 404, NOT_FOUND)
