"""The classification of every kind of change, on plain dicts (declarations and validation rules)."""

import pytest

from eventschema.plan import classify
from eventschema.plan.classify import LOOSENING, NEUTRAL, TIGHTENING, Finding

NESTED_SKU = {
    "name": "sku",
    "property_type": "String",
    "is_required": False,
    "is_optional_in_types": False,
    "description": "",
    "validation_rules": None,
}

STRING_ITEMS = {"property_type": "String", "description": "", "validation_rules": None}

RULE_CASES = [
    # (before, after, expected findings as (path, classification))
    (None, None, []),
    (None, {"enum": ["a", "b"]}, [("enum", TIGHTENING)]),
    ({"enum": ["a", "b"]}, None, [("enum", LOOSENING)]),
    ({"enum": ["a", "b"]}, {"enum": ["a"]}, [("enum", TIGHTENING)]),
    ({"enum": ["a"]}, {"enum": ["a", "b"]}, [("enum", LOOSENING)]),
    ({"enum": ["a", "b"]}, {"enum": ["b", "a"]}, []),
    ({"enum": ["a", "b"]}, {"enum": ["a", "c"]}, [("enum", TIGHTENING)]),
    ({"enum": [1, "x"]}, {"enum": [True, "x"]}, [("enum", TIGHTENING)]),  # 1 and true are different values
    (None, {"not": {"enum": ["x"]}}, [("not", TIGHTENING)]),
    ({"not": {"enum": ["x"]}}, {"not": {"enum": ["x", "y"]}}, [("not", TIGHTENING)]),
    ({"not": {"enum": ["x", "y"]}}, {"not": {"enum": ["x"]}}, [("not", LOOSENING)]),
    ({"minimum": 1}, {"minimum": 2}, [("minimum", TIGHTENING)]),
    ({"minimum": 2}, {"minimum": 1}, [("minimum", LOOSENING)]),
    ({"exclusiveMinimum": 0}, {"exclusiveMinimum": 0.5}, [("exclusiveMinimum", TIGHTENING)]),
    ({"maximum": 10}, {"maximum": 5}, [("maximum", TIGHTENING)]),
    ({"maximum": 5}, {"maximum": 10}, [("maximum", LOOSENING)]),
    ({"exclusiveMaximum": 5}, {"exclusiveMaximum": 6}, [("exclusiveMaximum", LOOSENING)]),
    ({"maxLength": 5}, {"maxLength": 3}, [("maxLength", TIGHTENING)]),
    ({"minLength": 1}, None, [("minLength", LOOSENING)]),
    ({"minItems": 1}, {"minItems": 2}, [("minItems", TIGHTENING)]),
    ({"maxItems": 2}, {"maxItems": 9}, [("maxItems", LOOSENING)]),
    (None, {"pattern": "^a"}, [("pattern", TIGHTENING)]),
    ({"pattern": "^a"}, {"pattern": "^b"}, [("pattern", TIGHTENING)]),
    ({"pattern": "^a"}, None, [("pattern", LOOSENING)]),
    (None, {"format": "email"}, [("format", TIGHTENING)]),
    ({"format": "email"}, {"format": "uri"}, [("format", TIGHTENING)]),
    ({"format": "email"}, {}, [("format", LOOSENING)]),
    (None, {"additionalProperties": False}, [("additionalProperties", TIGHTENING)]),
    (None, {"additionalProperties": True}, []),
    ({"additionalProperties": False}, {"additionalProperties": True}, [("additionalProperties", LOOSENING)]),
    ({"minimum": 1, "maximum": 9}, {"minimum": 0, "maximum": 8}, [("minimum", LOOSENING), ("maximum", TIGHTENING)]),
    # nested declarations, compared by name and recursively
    ({"properties": []}, {"properties": [NESTED_SKU]}, [("properties.sku", TIGHTENING)]),
    ({"properties": [NESTED_SKU]}, {"properties": []}, [("properties.sku", LOOSENING)]),
    (
        {"properties": [NESTED_SKU]},
        {"properties": [{**NESTED_SKU, "is_required": True}]},
        [("properties.sku.is_required", TIGHTENING)],
    ),
    (
        {"properties": [NESTED_SKU]},
        {"properties": [{**NESTED_SKU, "description": "stock unit"}]},
        [("properties.sku.description", NEUTRAL)],
    ),
    (
        {"properties": [{**NESTED_SKU, "validation_rules": {"maxLength": 10}}]},
        {"properties": [{**NESTED_SKU, "validation_rules": {"maxLength": 20}}]},
        [("properties.sku.validation_rules.maxLength", LOOSENING)],
    ),
    (
        {"properties": [{**NESTED_SKU, "property_type": "Object", "validation_rules": {"properties": [NESTED_SKU]}}]},
        {
            "properties": [
                {
                    **NESTED_SKU,
                    "property_type": "Object",
                    "validation_rules": {"properties": [{**NESTED_SKU, "validation_rules": {"enum": ["a"]}}]},
                }
            ]
        },
        [("properties.sku.validation_rules.properties.sku.validation_rules.enum", TIGHTENING)],
    ),
    # array items
    (None, {"items": STRING_ITEMS}, [("items", TIGHTENING)]),
    ({"items": STRING_ITEMS}, None, [("items", LOOSENING)]),
    (
        {"items": {"property_type": "String", "description": "", "validation_rules": None}},
        {"items": {"property_type": "Any", "description": "", "validation_rules": None}},
        [("items.property_type", LOOSENING)],
    ),
    (
        {"items": {"property_type": "Numeric", "description": "", "validation_rules": {"minimum": 0}}},
        {"items": {"property_type": "Numeric", "description": "", "validation_rules": {"minimum": 1}}},
        [("items.validation_rules.minimum", TIGHTENING)],
    ),
    ({"someFutureRule": 1}, {"someFutureRule": 2}, [("someFutureRule", TIGHTENING)]),
]


@pytest.mark.parametrize(("before", "after", "expected"), RULE_CASES)
def test_rule_changes(before, after, expected) -> None:
    found = classify.rules(before, after)
    assert [(finding.path, finding.classification) for finding in found] == expected


BASE = {"property_type": "String", "is_required": False, "is_optional_in_types": False, "description": ""}

DECLARATION_CASES = [
    ({}, []),
    ({"is_required": True}, [("is_required", TIGHTENING)]),
    ({"property_type": "Numeric"}, [("property_type", TIGHTENING)]),
    ({"property_type": "Any"}, [("property_type", LOOSENING)]),
    ({"is_optional_in_types": True}, [("is_optional_in_types", NEUTRAL)]),
    ({"description": "new"}, [("description", NEUTRAL)]),
    ({"validation_rules": {"enum": ["x"]}}, [("validation_rules.enum", TIGHTENING)]),
]


@pytest.mark.parametrize(("change", "expected"), DECLARATION_CASES)
def test_declaration_changes(change, expected) -> None:
    found = classify.declaration(BASE, {**BASE, **change})
    assert [(finding.path, finding.classification) for finding in found] == expected


def test_reverse_changes_classify_the_other_way() -> None:
    assert classify.declaration({**BASE, "is_required": True}, BASE) == [Finding("is_required", LOOSENING, True, False)]
    assert classify.property_type("Any", "String") == TIGHTENING


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        ({**BASE, "is_required": True}, TIGHTENING),
        (BASE, TIGHTENING),  # an event already sending the name with another type would be flagged
        ({**BASE, "property_type": "Any"}, LOOSENING),
        ({**BASE, "property_type": "Any", "validation_rules": {"enum": [1]}}, TIGHTENING),
    ],
)
def test_a_new_property(declaration, expected) -> None:
    assert classify.added(declaration) == expected


def test_overall() -> None:
    assert classify.overall([NEUTRAL, LOOSENING, TIGHTENING]) == TIGHTENING
    assert classify.overall([NEUTRAL, LOOSENING]) == LOOSENING
    assert classify.overall([]) == NEUTRAL
