"""Every property type against every accepted and rejected input form, required and optional, in both modes."""

from __future__ import annotations

import enum
import math

import pytest

from eventschema.validation import EventSpec, Mode, PropertySpec, compile_schemas, parse_rules


class Level(enum.IntEnum):
    HIGH = 3


class Text(str):
    """A str subclass: the fast paths test exact types, so subclasses must reach the complete checks."""


NAN, INF = math.nan, math.inf

ACCEPTED: dict[str, list[object]] = {
    "String": ["", "x", "   ", 0, 1.5, NAN, True, False, [], {}, {"a": [1]}, "null"],
    "Numeric": [
        *(0, -7, 10**40, 1.5, -0.0, 1e308, Level.HIGH),
        *("42", "-3.5", "+1", ".5", "5.", "1e5", "1E-5", "-2.5e+10", "0012", "1e308"),
        *(" 12 ", "\t7\n", "\u00a012\u3000", "\x1c9\x1f", Text("8")),
    ],
    "Boolean": [True, False, "true", "false", Text("true")],
    "DateTime": [
        *(0, -1, 1714560000, 1714560000123, 1.5, NAN, INF, Level.HIGH),
        *("2024-05-01T12:34:56.789Z", "2024-05-01", "20240501", "1714560000", "Tue, 1 Jul 2003 10:52:37 +0200"),
        Text("2024-05-01"),
    ],
    "Object": [{}, {"a": 1}, [], [1, "x", None], [{"nested": [1]}]],
    "Any": ["", "x", 0, -1.5, NAN, True, False, [], {}, [None], {"a": None}, Text("t")],
    "Array": [[], [1, "x", None], [[1]], [{"a": 1}]],
}

REJECTED: dict[str, list[object]] = {
    "String": [],
    "Numeric": [
        *(True, False, NAN, INF, -INF, [], {}, [1], {"a": 1}),
        *("", "   ", "nan", "NaN", "-nan", "inf", "Inf", "Infinity", "-Infinity", "infinity", "1e999", "-1e999"),
        *("1_000", "0x1A", "0b1", "0o7", "12abc", "abc12", "1,5", "1 2", "e5", ".", "+", "--1", "1e"),
        *("\u0661\u0662\u0663", "\uff11\uff12"),  # non-ASCII digits, which float() would read
        *("\ufeff1", "true"),
    ],
    "Boolean": [*("True", "FALSE", " true", "true ", "1", "0", "", "yes", "t"), 1, 0, 1.0, [], {}, [True]],
    "DateTime": [True, False, [], {}, ["2024-05-01"], {"at": "2024-05-01"}, "", "now", "2024-02-30", "12345"],
    "Object": ["{}", "[]", "", "null", 1, 1.5, True, False, Text("{}")],
    "Any": [],
    "Array": ["[]", "", 1, True, {}, {"0": 1}, Text("[]")],
}

CASES = [(t, value, True) for t, values in ACCEPTED.items() for value in values] + [
    (t, value, False) for t, values in REJECTED.items() for value in values
]
MODES: tuple[Mode, ...] = ("posthog", "strict")


def reasons(property_type: str, required: bool, mode: Mode, properties: dict[str, object] | None) -> list[str]:
    spec = EventSpec("e", (PropertySpec("p", property_type, required),))
    return [violation.reason for violation in compile_schemas([spec], mode).validate("e", properties)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("property_type", "value", "accepted"), CASES, ids=repr)
def test_required_property_is_type_checked_in_both_modes(
    property_type: str, value: object, accepted: bool, mode: Mode
) -> None:
    assert reasons(property_type, True, mode, {"p": value}) == ([] if accepted else ["type_mismatch"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("property_type", "value", "accepted"), CASES, ids=repr)
def test_optional_property_is_type_checked_when_present_in_both_modes(
    property_type: str, value: object, accepted: bool, mode: Mode
) -> None:
    assert reasons(property_type, False, mode, {"p": value}) == ([] if accepted else ["type_mismatch"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("property_type", sorted(ACCEPTED))
@pytest.mark.parametrize(
    "properties", [{}, {"p": None}, None, {"other": 1}], ids=["absent", "null", "no-props", "other"]
)
def test_missing_or_null_required_property(
    property_type: str, mode: Mode, properties: dict[str, object] | None
) -> None:
    assert reasons(property_type, True, mode, properties) == ["missing_required"]
    assert reasons(property_type, False, mode, properties) == []


# ---------------------------------------------------------------------------------------------------------------
# Every rule on every type it applies to: (type, rules, value, [(path below the property, reason), ...]).
# Each case is also run one level down in an Object and as the element of an Array (see WRAPPINGS).


def decl(name: str, property_type: str, required: bool = False, rules: dict[str, object] | None = None) -> dict:
    """A nested declaration as stored: every field filled in."""
    return {
        "name": name,
        "property_type": property_type,
        "is_required": required,
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": rules,
    }


def item(property_type: str, rules: dict[str, object] | None = None) -> dict[str, object]:
    return {"property_type": property_type, "description": "", "validation_rules": rules}


Expected = list[tuple[str, str]]
RuleCase = tuple[str, dict[str, object], object, Expected]

OK: Expected = []
MISMATCH: Expected = [("", "type_mismatch")]


def fails(reason: str, path: str = "") -> Expected:
    return [(path, reason)]


RULE_CASES: list[RuleCase] = [
    # String: rules see strings as sent and other values as their JSON text.
    ("String", {"enum": ["free", "pro"]}, "pro", OK),
    ("String", {"enum": ["free", "pro"]}, "gold", fails("not_in_enum")),
    ("String", {"enum": ["free", "pro"]}, "Pro", fails("not_in_enum")),
    ("String", {"enum": ["5", "true"]}, 5, OK),
    ("String", {"enum": ["5", "true"]}, True, OK),
    ("String", {"enum": [5, True]}, "5", OK),
    ("String", {"enum": ['{"a":1}']}, {"a": 1}, OK),
    ("String", {"enum": ["1"]}, 1.0, fails("not_in_enum")),  # its JSON text is "1.0"
    ("String", {"not": {"enum": ["internal"]}}, "public", OK),
    ("String", {"not": {"enum": ["internal"]}}, "internal", fails("in_excluded_enum")),
    ("String", {"pattern": "^[a-z]+$"}, "abc", OK),
    ("String", {"pattern": "^[a-z]+$"}, "abC", fails("pattern_mismatch")),
    ("String", {"pattern": "b"}, "abc", OK),  # searched, not anchored
    ("String", {"pattern": "b"}, "xyz", fails("pattern_mismatch")),
    ("String", {"pattern": "^\\d{3}$"}, 123, OK),
    ("String", {"pattern": "^é.$"}, "é€", OK),
    ("String", {"minLength": 2}, "ab", OK),
    ("String", {"minLength": 2}, "é", fails("too_short")),
    ("String", {"minLength": 2}, Text("x"), fails("too_short")),
    ("String", {"maxLength": 3}, "€€€", OK),  # code points, not bytes
    ("String", {"maxLength": 3}, "abcd", fails("too_long")),
    ("String", {"maxLength": 2}, 123, fails("too_long")),
    ("String", {"format": "email"}, "ada@example.com", OK),
    ("String", {"format": "email"}, "ada@@example.com", fails("invalid_format")),
    ("String", {"format": "uri"}, "https://example.com/a?b=c#d", OK),
    ("String", {"format": "uri"}, "/relative/path", fails("invalid_format")),
    ("String", {"format": "uuid"}, "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50", OK),
    ("String", {"format": "uuid"}, "018f3a6c1c2b7d3e9f005b1c2d3e4f50", fails("invalid_format")),
    ("String", {"format": "date"}, "2024-02-29", OK),
    ("String", {"format": "date"}, "2023-02-29", fails("invalid_format")),
    ("String", {"format": "date-time"}, "2024-05-01T12:34:56.789+02:00", OK),
    ("String", {"format": "date-time"}, "2024-05-01T12:34:56", fails("invalid_format")),
    ("String", {"minLength": 2, "pattern": "^[a-z]+$"}, "A", [("", "pattern_mismatch"), ("", "too_short")]),
    # Numeric: rules see the number, also when it was sent as a string.
    ("Numeric", {"minimum": 10}, 10, OK),
    ("Numeric", {"minimum": 10}, 9.99, fails("out_of_range")),
    ("Numeric", {"minimum": 10}, "5", fails("out_of_range")),
    ("Numeric", {"minimum": 10}, " 12 ", OK),
    ("Numeric", {"minimum": 10}, "abc", MISMATCH),
    ("Numeric", {"minimum": 10}, True, MISMATCH),
    ("Numeric", {"maximum": 10}, 10.0, OK),
    ("Numeric", {"maximum": 10}, 10**20, fails("out_of_range")),
    ("Numeric", {"exclusiveMinimum": 0}, 0, fails("out_of_range")),
    ("Numeric", {"exclusiveMinimum": 0}, "1e-9", OK),
    ("Numeric", {"exclusiveMaximum": 1}, 1, fails("out_of_range")),
    ("Numeric", {"exclusiveMaximum": 1}, 0.999, OK),
    ("Numeric", {"minimum": 0, "maximum": 1, "exclusiveMaximum": 1}, 1, fails("out_of_range")),
    ("Numeric", {"minimum": 1}, Level.HIGH, OK),
    ("Numeric", {"enum": [1, 2.5]}, 1.0, OK),
    ("Numeric", {"enum": [1, 2.5]}, "2.5", OK),
    ("Numeric", {"enum": [1, 2.5]}, 3, fails("not_in_enum")),
    ("Numeric", {"enum": ["7", True]}, 7, OK),  # a numeric string member is its number; true is no number
    ("Numeric", {"enum": ["7", True]}, 1, fails("not_in_enum")),
    ("Numeric", {"not": {"enum": [0]}}, "0.0", fails("in_excluded_enum")),
    ("Numeric", {"not": {"enum": [0]}}, 1, OK),
    # Boolean: rules see the boolean.
    ("Boolean", {"enum": [True]}, True, OK),
    ("Boolean", {"enum": [True]}, "true", OK),
    ("Boolean", {"enum": [True]}, False, fails("not_in_enum")),
    ("Boolean", {"enum": ["true"]}, True, OK),
    ("Boolean", {"enum": [1]}, True, fails("not_in_enum")),  # 1 is not a boolean
    ("Boolean", {"enum": [True]}, "yes", MISMATCH),
    ("Boolean", {"not": {"enum": [False]}}, "false", fails("in_excluded_enum")),
    ("Boolean", {"not": {"enum": [False]}}, True, OK),
    # DateTime: rules compare values as sent.
    ("DateTime", {"enum": ["2024-01-01"]}, "2024-01-01", OK),
    ("DateTime", {"enum": ["2024-01-01"]}, "2024-01-02", fails("not_in_enum")),
    ("DateTime", {"enum": ["2024-01-01"]}, 1704067200, fails("not_in_enum")),
    ("DateTime", {"enum": [0]}, 0.0, OK),
    ("DateTime", {"enum": ["2024-01-01"]}, "soon", MISMATCH),
    ("DateTime", {"not": {"enum": [0]}}, 0, fails("in_excluded_enum")),
    ("DateTime", {"not": {"enum": [0]}}, "0", MISMATCH),
    # Any: JSON equality, a number never equals a string or a boolean.
    ("Any", {"enum": [1, "a", True]}, 1.0, OK),
    ("Any", {"enum": [1, "a", True]}, "a", OK),
    ("Any", {"enum": [1, "a", True]}, True, OK),
    ("Any", {"enum": [1, "a", True]}, "1", fails("not_in_enum")),
    ("Any", {"enum": [1, "a", True]}, False, fails("not_in_enum")),
    ("Any", {"enum": [1, "a", True]}, [1], fails("not_in_enum")),
    ("Any", {"not": {"enum": ["x"]}}, "x", fails("in_excluded_enum")),
    ("Any", {"not": {"enum": ["x"]}}, ["x"], OK),
    # Object: nested declarations, paths below the property.
    ("Object", {"properties": [decl("q", "Numeric", True, {"minimum": 0})]}, {"q": 1}, OK),
    ("Object", {"properties": [decl("q", "Numeric", True, {"minimum": 0})]}, {"q": "-1"}, fails("out_of_range", ".q")),
    ("Object", {"properties": [decl("q", "Numeric", True)]}, {"q": "x"}, fails("type_mismatch", ".q")),
    ("Object", {"properties": [decl("q", "Numeric", True)]}, {}, fails("missing_required", ".q")),
    ("Object", {"properties": [decl("q", "Numeric", True)]}, {"q": None}, fails("missing_required", ".q")),
    ("Object", {"properties": [decl("q", "Numeric", True)]}, [], fails("missing_required", ".q")),
    ("Object", {"properties": [decl("q", "Numeric")]}, {"z": "x"}, OK),
    ("Object", {"properties": [decl("q", "Numeric")]}, "{}", MISMATCH),
    (
        "Object",
        {"properties": [decl("b", "Boolean", True), decl("a", "Any", True)]},
        {},
        [
            (".a", "missing_required"),
            (".b", "missing_required"),
        ],
    ),
    (
        "Object",
        {"properties": [decl("o", "Object", False, {"properties": [decl("s", "String", False, {"enum": ["x"]})]})]},
        {"o": {"s": "y"}},
        fails("not_in_enum", ".o.s"),
    ),
    # Array: item counts and typed elements, paths [i].
    ("Array", {"minItems": 1}, [], fails("too_few_items")),
    ("Array", {"minItems": 1}, [None], OK),
    ("Array", {"maxItems": 2}, [1, 2, 3], fails("too_many_items")),
    ("Array", {"maxItems": 2}, {}, MISMATCH),
    (
        "Array",
        {"items": item("Numeric", {"maximum": 5})},
        [1, "2", 6, "x", None],
        [
            ("[2]", "out_of_range"),
            ("[3]", "type_mismatch"),
            ("[4]", "type_mismatch"),
        ],
    ),
    ("Array", {"items": item("String")}, ["a", None], fails("type_mismatch", "[1]")),
    ("Array", {"items": item("Any")}, [0, False, [], None], fails("type_mismatch", "[3]")),
    ("Array", {"items": item("Array", {"maxItems": 1})}, [[1], [2, 3]], fails("too_many_items", "[1]")),
    (
        "Array",
        {"items": item("Object", {"properties": [decl("k", "String", True, {"format": "uuid"})]})},
        [{"k": "nope"}, {}],
        [("[0].k", "invalid_format"), ("[1].k", "missing_required")],
    ),
    ("Array", {"minItems": 2, "items": item("Boolean")}, ["no"], [("", "too_few_items"), ("[0]", "type_mismatch")]),
]

# How a case's property is declared: at the top, one level down in an Object, or as an Array's element.
WRAPPINGS = {
    "top": lambda t, r: (PropertySpec("p", t, True, parse_rules(r, t, "p")), lambda v: {"p": v}, "p"),
    "nested": lambda t, r: (
        PropertySpec("o", "Object", True, parse_rules({"properties": [decl("p", t, True, r)]}, "Object", "o")),
        lambda v: {"o": {"p": v}},
        "o.p",
    ),
    "item": lambda t, r: (
        PropertySpec("a", "Array", True, parse_rules({"items": item(t, r)}, "Array", "a")),
        lambda v: {"a": [v]},
        "a[0]",
    ),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("wrapping", sorted(WRAPPINGS))
@pytest.mark.parametrize(("property_type", "rules", "value", "expected"), RULE_CASES, ids=repr)
def test_every_rule_on_every_type_at_every_level(
    property_type: str, rules: dict[str, object], value: object, expected: Expected, wrapping: str, mode: Mode
) -> None:
    spec, event, path = WRAPPINGS[wrapping](property_type, rules)
    compiled = compile_schemas([EventSpec("e", (spec,))], mode)
    got = [(v.property, v.reason) for v in compiled.validate("e", event(value))]
    assert got == [(path + suffix, reason) for suffix, reason in expected]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("property_type", "rules", "value", "expected"), RULE_CASES, ids=repr)
def test_rules_of_an_optional_property_apply_when_it_is_present(
    property_type: str, rules: dict[str, object], value: object, expected: Expected, mode: Mode
) -> None:
    spec = PropertySpec("p", property_type, False, parse_rules(rules, property_type, "p"))
    compiled = compile_schemas([EventSpec("e", (spec,))], mode)
    assert [(v.property, v.reason) for v in compiled.validate("e", {"p": value})] == [
        ("p" + suffix, reason) for suffix, reason in expected
    ]
    assert compiled.validate("e", {}) == ()
    assert compiled.validate("e", {"p": None}) == ()
