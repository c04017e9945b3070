"""Validation rules stored on properties are enforced where properties are: the validate API, the capture
gateway (warn marks, reject quarantines, each with the rule's reason and the nested path), the quarantine's
reason filter and the violation counters. The API does not take rules yet, so each test writes them straight
into `schema_properties`, as a migration or another process would, and announces a new schema version."""

from typing import Any

from sqlalchemy import text, update

from eventschema.db import Database
from eventschema.models import Property
from tests.enforcement.helpers import (
    NEW_SCHEMA_VERSION,
    api,
    captured_ok,
    define,
    event,
    logged,
    project_token,
    quarantined,
    validate,
)
from tests.factories import Account


def nested(name: str, property_type: str, required: bool = False, rules: Any = None) -> dict[str, Any]:
    return {
        "name": name,
        "property_type": property_type,
        "is_required": required,
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": rules,
    }


LINE_ITEM = {
    "properties": [
        nested("sku", "String", True, {"pattern": "^[A-Z]{3}-[0-9]+$"}),
        nested("quantity", "Numeric", True, {"minimum": 1}),
    ],
    "additionalProperties": False,
}
CHECKOUT_PROPERTIES: list[dict[str, Any]] = [
    {"name": "plan", "property_type": "String", "is_required": True},
    {"name": "total", "property_type": "Numeric", "is_required": True},
    {"name": "cart", "property_type": "Object", "is_required": True},
    {"name": "context", "property_type": "String"},
]
RULES: dict[str, tuple[str, dict[str, Any] | None]] = {
    "plan": ("String", {"enum": ["free", "pro"]}),
    "total": ("Numeric", {"minimum": 10}),
    "cart": (
        "Object",
        {
            "properties": [
                nested(
                    "items",
                    "Array",
                    True,
                    {
                        "items": {"property_type": "Object", "description": "", "validation_rules": LINE_ITEM},
                        "minItems": 1,
                    },
                ),
            ]
        },
    ),
    "context": ("Any", None),
}
VALID = {"plan": "pro", "total": 12, "cart": {"items": [{"sku": "ABC-1", "quantity": 1}]}, "context": [1]}
INVALID = {
    "plan": "gold",
    "total": "5",
    "cart": {
        "items": [
            {"sku": "ABC-1", "quantity": 1},
            {"sku": "ABC-2", "quantity": 2},
            {"sku": "abc", "quantity": 1, "gift": True},
        ]
    },
}


async def store_rules(db: Database, rules: dict[str, tuple[str, dict[str, Any] | None]]) -> None:
    """Give the named properties these types and rules, and a new schema version to every project."""
    async with db.engine.begin() as connection:
        for name, (property_type, validation_rules) in rules.items():
            await connection.execute(
                update(Property)
                .where(Property.name == name)
                .values(property_type=property_type, validation_rules=validation_rules)
            )
        await connection.execute(text(NEW_SCHEMA_VERSION))


def violation(path: str, reason: str, types: list[str], value: str | None) -> dict[str, Any]:
    return {"property": path, "reason": reason, "expected_types": types, "actual_value": value}


EXPECTED = [
    violation("cart.items[2].sku", "pattern_mismatch", ["String"], "abc"),
    violation("plan", "not_in_enum", ["String"], "gold"),
    violation("total", "out_of_range", ["Numeric"], "5"),
]


async def checkout(client, db: Database, account: Account, mode: str = "reject") -> None:
    await define(client, account, "checkout", mode=mode, properties=CHECKOUT_PROPERTIES)
    await store_rules(db, RULES)


async def test_the_validate_api_reports_rule_violations_by_path(client, db: Database, account: Account) -> None:
    await checkout(client, db, account)

    results = await validate(
        client, account, {"batch": [{"event": "checkout", "properties": p} for p in (VALID, INVALID, {})]}
    )

    assert results[0] == {"event": "checkout", "valid": True, "action": "forward", "violations": []}
    assert results[1] == {"event": "checkout", "valid": False, "action": "quarantine", "violations": EXPECTED}
    # A required Any only has to be present; the others are missing.
    assert [(v["property"], v["reason"]) for v in results[2]["violations"]] == [
        ("cart", "missing_required"),
        ("plan", "missing_required"),
        ("total", "missing_required"),
    ]


async def test_strict_mode_flags_undeclared_nested_keys_of_closed_objects(
    client, db: Database, account: Account
) -> None:
    await checkout(client, db, account)
    await api(client, account, "PATCH", "validation_settings/", json={"validation_mode": "strict"})

    [result] = await validate(client, account, {"event": "checkout", "properties": INVALID})

    assert result["violations"] == [
        EXPECTED[0],
        violation("cart.items[2].gift", "unexpected_property", [], "true"),
        *EXPECTED[1:],
    ]


async def test_reject_quarantines_rule_violations_with_their_reasons(client, db: Database, account: Account) -> None:
    await checkout(client, db, account)
    token = await project_token(client, account)

    await captured_ok(client, token, [event("checkout", **VALID), event("checkout", "user-2", **INVALID)])

    assert [item["properties"] for item in await logged(client, account)] == [VALID]
    [held] = await quarantined(client, account)
    assert held["distinct_id"] == "user-2"
    assert held["reasons"] == ["not_in_enum", "out_of_range", "pattern_mismatch"]
    assert held["violations"] == EXPECTED
    assert [item["distinct_id"] for item in await quarantined(client, account, "?reason=pattern_mismatch")] == [
        "user-2"
    ]
    assert await quarantined(client, account, "?reason=too_long") == []

    counts = (await api(client, account, "GET", "event_schemas/violations/"))["results"]
    assert sorted((c["property"], c["reason"], c["count"]) for c in counts) == [
        ("cart.items[2].sku", "pattern_mismatch", 1),
        ("plan", "not_in_enum", 1),
        ("total", "out_of_range", 1),
    ]


async def test_warn_marks_rule_violations(client, db: Database, account: Account) -> None:
    await checkout(client, db, account, mode="warn")
    token = await project_token(client, account)

    await captured_ok(client, token, [event("checkout", **INVALID)])

    [marked] = await logged(client, account)
    assert marked["properties"] == {**INVALID, "$schema_violations": EXPECTED}


async def test_a_value_passes_when_any_groups_declaration_accepts_it(client, db: Database, account: Account) -> None:
    created = await define(client, account, "upgrade", properties=[{"name": "plan", "property_type": "String"}])
    other = {"name": "b", "properties": [{"name": "tier", "property_type": "Numeric"}]}
    group = await api(client, account, "POST", "schema_property_groups/", json=other)
    link = {"event_definition": created["definition"]["id"], "property_group_id": group["id"]}
    await api(client, account, "POST", "event_schemas/", json=link)
    await store_rules(db, {"plan": ("String", {"enum": ["free", "pro"]})})
    # Group b now declares "plan" too, as a Numeric without rules.
    async with db.engine.begin() as connection:
        await connection.execute(update(Property).where(Property.name == "tier").values(name="plan"))
        await connection.execute(text(NEW_SCHEMA_VERSION))

    batch = [{"event": "upgrade", "properties": {"plan": p}} for p in ("pro", " 5 ", "team")]
    results = await validate(client, account, {"batch": batch})

    assert [r["valid"] for r in results] == [True, True, False]
    # Only the String declaration takes "team" as its type, so its rule is what failed.
    assert results[2]["violations"] == [violation("plan", "not_in_enum", ["Numeric", "String"], "team")]
