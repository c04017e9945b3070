"""Validation rules in code generation: how declarations of one name merge, what the hash covers, the JSON
Schema keywords, and the files the API serves from rules stored in the database, on both back ends."""

import json
from typing import Any

import jsonschema
from sqlalchemy import select

from eventschema.codegen import GENERATORS, generate
from eventschema.codegen.hashing import schema_hash
from eventschema.codegen.plan import Declaration, Property, Shape, build_plan, make_group, merge
from eventschema.db import Database
from eventschema.enforcement.changes import schema_changed
from eventschema.models import Property as PropertyRow
from eventschema.models import PropertyGroup
from tests.codegen import fixture
from tests.factories import Account

nested, item = fixture.nested, fixture.item


def _one(*declarations: Declaration) -> Property:
    [merged] = merge(declarations)
    return merged


def test_enums_of_one_type_are_united_in_first_seen_order_and_dropped_if_one_declaration_has_none() -> None:
    a = Declaration("plan", "String", True, False, {"enum": ["free", "pro"]})
    b = Declaration("plan", "String", False, False, {"enum": ["pro", "team"]})
    assert _one(a, b).shape("String").enum == ("free", "pro", "team")
    assert _one(a, b).required and _one(a, b).optional_in_types
    assert _one(a, Declaration("plan", "String", True, False)).shape("String").enum is None


def test_enums_stay_with_their_type_and_tell_true_from_one() -> None:
    merged = _one(
        Declaration("v", "String", True, False, {"enum": ["a"]}),
        Declaration("v", "Numeric", True, False, {"enum": [1, 1.0]}),
        Declaration("v", "Numeric", True, False, {"enum": [2]}),
        Declaration("v", "Any", True, False, {"enum": [True, 1]}),
    )
    assert merged.types == ("Any", "Numeric", "String")
    assert [s.enum for s in merged.shapes] == [(True, 1), (1, 2), ("a",)]


def test_other_rules_are_kept_only_when_every_declaration_of_the_type_has_the_same() -> None:
    a = Declaration("n", "Numeric", True, False, {"minimum": 0, "maximum": 10})
    b = Declaration("n", "Numeric", True, False, {"minimum": 0, "maximum": 20})
    assert _one(a, b).shape("Numeric").notes == (("minimum", 0),)
    assert _one(a, Declaration("n", "Numeric", True, False)).shape("Numeric").notes == ()
    assert _one(a).shape("Numeric").notes == (("minimum", 0), ("maximum", 10))


def test_nested_objects_merge_by_name_and_a_name_missing_from_one_declaration_is_optional() -> None:
    a = Declaration(
        "cart",
        "Object",
        True,
        False,
        {"properties": [nested("sku", "String", True), nested("qty", "Numeric", True)], "additionalProperties": False},
    )
    b = Declaration("cart", "Object", True, False, {"properties": [nested("sku", "Numeric", True)]})
    shape = _one(a, b).shape("Object")
    assert shape.properties == (
        Property("qty", ("Numeric",), required=False, optional_in_types=True),
        Property("sku", ("Numeric", "String"), required=True, optional_in_types=False),
    )
    assert shape.additional_properties  # b allows undeclared keys
    assert not _one(a).shape("Object").additional_properties
    assert _one(a, Declaration("cart", "Object", True, False)).shape("Object").properties is None


def test_array_items_merge_like_properties_and_are_unknown_if_one_declaration_has_none() -> None:
    a = Declaration("tags", "Array", False, False, {"items": item("String", {"enum": ["a"]}), "minItems": 1})
    b = Declaration("tags", "Array", False, False, {"items": item("String", {"enum": ["b"]}), "minItems": 1})
    shape = _one(a, b).shape("Array")
    assert shape.items == (Shape("String", enum=("a", "b")),)
    assert shape.notes == (("minItems", 1),)
    assert _one(a, Declaration("tags", "Array", False, False)).shape("Array").items is None


def test_declarations_without_rules_keep_the_plain_shape() -> None:
    merged = _one(Declaration("x", "Any", True, False), Declaration("x", "Array", True, False))
    assert merged.shapes == () and merged.shape("Array") == Shape("Array")


def _rules_hash(**changes: Any) -> str:
    """The hash of the rules plan after replacing the rules of "checkout"."ratio"."""
    groups = []
    for name, props in fixture.RULES_GROUPS.items():
        declarations = [Declaration(*p) for p in props]
        if name == "checkout":
            declarations = [
                Declaration(d.name, d.property_type, d.is_required, d.is_optional_in_types, changes["rules"])
                if d.name == "ratio"
                else d
                for d in declarations
            ]
        groups.append(make_group(name, declarations))
    return schema_hash(build_plan(fixture.RULES_EVENTS, groups, fixture.RULES_EVENTS))


def test_the_hash_changes_with_any_rule_and_not_with_key_order_or_nested_descriptions() -> None:
    base = schema_hash(fixture.rules_plan())
    assert _rules_hash(rules={"minimum": 0, "exclusiveMaximum": 1}) == base
    assert _rules_hash(rules={"exclusiveMaximum": 1, "minimum": 0}) == base
    changed = {
        _rules_hash(rules=rules)
        for rules in (
            None,
            {"minimum": 0},
            {"minimum": 0, "exclusiveMaximum": 2},
            {"minimum": 0, "maximum": 1},
            {"minimum": 0, "exclusiveMaximum": 1, "enum": [0.5]},
        )
    }
    assert len(changed) == 5 and base not in changed
    described = nested("sku", "String", True)
    group = make_group("g", [Declaration("cart", "Object", True, False, {"properties": [described]})])
    redescribed = make_group(
        "g", [Declaration("cart", "Object", True, False, {"properties": [{**described, "description": "new"}]})]
    )
    assert schema_hash(build_plan(["e"], [group], {"e": ["g"]})) == schema_hash(
        build_plan(["e"], [redescribed], {"e": ["g"]})
    )


def test_a_plan_without_rules_keeps_its_hash() -> None:
    """The figure recorded in test_plan before rules existed, for a plan whose declarations have no rules."""
    order = make_group(
        "order",
        [Declaration("amount", "Numeric", True, False, None), Declaration("café", "DateTime", False, True, None)],
    )
    plan = build_plan(["purchase", "$pageview", "page viewed"], [order], {"purchase": ["order"]})
    assert schema_hash(plan) == "24d6bc23812de63926ebde08a9a4a03c"


def test_two_groups_declaring_one_name_with_different_rules_hash_in_any_order() -> None:
    first = make_group("a", [Declaration("x", "String", True, False, {"enum": ["b"]})])
    second = make_group("b", [Declaration("x", "String", True, False, {"enum": ["a"]})])
    one = build_plan(["e"], [first, second], {"e": ["a", "b"]})
    other = build_plan(["e"], [second, first], {"e": ["b", "a"]})
    assert schema_hash(one) == schema_hash(other)


def _validator() -> jsonschema.Draft202012Validator:
    document = json.loads(GENERATORS["jsonschema"](fixture.rules_plan()))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


VALID: dict[str, Any] = {
    "plan": "free",
    "ratio": 0.5,
    "email": "a@example.com",
    "payload": [1],
    "cart": {"sku": "SKU-1", "quantity": 2, "meta": {"source": "web"}},
    "tags": ["a"],
    "lines": [{"sku": "x", "price": "2.5"}],
    "flag": True,
    "seats": 5,
    "when": "2024-01-01",
    "not_test": "ok",
}


def test_json_schema_rules_are_keywords() -> None:
    validator = _validator()
    assert validator.is_valid({"event": "checkout cart", "properties": VALID})
    assert validator.is_valid({"event": "checkout", "properties": {**VALID, "plan": "enterprise", "cart": {"sku": 1}}})
    invalid = {
        "plan": "enterprise",
        "ratio": 1,
        "email": "not an email",
        "payload": None,
        "cart": {"sku": "SKU-1 */", "quantity": 2},
        "tags": [],
        "lines": [{"price": 1}],
        "flag": False,
        "seats": 3,
        "when": "2024-01-02",
        "not_test": "admin",
        "scores": {"a": 1},
    }
    for name, value in invalid.items():
        assert not validator.is_valid({"event": "checkout cart", "properties": {**VALID, name: value}}), name
    closed = {**VALID, "cart": {"sku": "SKU-1", "quantity": 2, "meta": {"source": "web", "x": 1}}}
    assert not validator.is_valid({"event": "checkout cart", "properties": closed})


def test_a_name_declared_with_different_rules_by_two_groups_accepts_either() -> None:
    first = make_group("a", [Declaration("x", "String", True, False, {"enum": ["b"]})])
    second = make_group("b", [Declaration("x", "String", True, False, {"enum": ["a"]})])
    document = json.loads(GENERATORS["jsonschema"](build_plan(["e"], [first, second], {"e": ["a", "b"]})))
    validator = jsonschema.Draft202012Validator(document)
    assert [validator.is_valid({"event": "e", "properties": {"x": v}}) for v in ("a", "b", "c")] == [True, True, False]


async def _store_rules(db: Database, account: Account) -> None:
    """Types and rules written straight into the rows, then recorded as a change to the plan as every writer of the
    plan records one (generated code is kept per plan revision)."""
    declared = {(group, p[0]): p for group, props in fixture.RULES_GROUPS.items() for p in props}
    async with db.session(write=True) as session:
        rows = await session.execute(
            select(PropertyRow, PropertyGroup.name)
            .join(PropertyGroup, PropertyGroup.id == PropertyRow.property_group_id)
            .where(PropertyGroup.project_id == account.project_id)
        )
        for row, group_name in rows.all():
            _, property_type, _, _, rules = declared[(group_name, row.name)]
            row.property_type, row.validation_rules = property_type, rules
        await schema_changed(session, account.project_id)
        await session.commit()


async def _create(client, account: Account) -> None:
    group_ids: dict[str, str] = {}
    for name, props in fixture.RULES_GROUPS.items():
        properties = [
            {"name": n, "property_type": "String", "is_required": r, "is_optional_in_types": o}
            for n, _, r, o, _ in props
        ]
        response = await client.post(
            account.url("schema_property_groups/"),
            json={"name": name, "properties": properties},
            headers=account.headers,
        )
        assert response.status_code == 201, response.text
        group_ids[name] = response.json()["id"]
    for event, groups in fixture.RULES_EVENTS.items():
        response = await client.post(account.url("event_definitions/"), json={"name": event}, headers=account.headers)
        assert response.status_code == 201, response.text
        for group in groups:
            body = {"event_definition": response.json()["id"], "property_group_id": group_ids[group]}
            linked = await client.post(account.url("event_schemas/"), json=body, headers=account.headers)
            assert linked.status_code == 201, linked.text


async def test_the_api_serves_files_generated_from_the_stored_rules(client, db: Database, account: Account) -> None:
    await _create(client, account)
    without_rules = await client.get(account.url("event_definitions/typescript/"), headers=account.headers)
    await _store_rules(db, account)
    for language in sorted(GENERATORS):
        response = await client.get(account.url(f"event_definitions/{language}/"), headers=account.headers)
        assert response.status_code == 200, response.text
        expected = generate(fixture.rules_plan(), language)
        assert (response.json()["content"], response.json()["schema_hash"]) == (
            expected.content,
            expected.schema_hash,
        )
    assert without_rules.json()["schema_hash"] != expected.schema_hash
