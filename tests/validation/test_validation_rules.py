"""Schema-level rules: reconciling groups, unknown events, undeclared keys, result shape and compile errors."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType

import pytest

from eventschema.validation import EventSpec, Mode, PropertySpec, Violation, compile_schemas, parse_rules

P = PropertySpec
MODES: tuple[Mode, ...] = ("posthog", "strict")


def check(
    mode: Mode, properties: Mapping[str, object] | None, *specs: PropertySpec, flag: bool = False
) -> list[dict[str, object]]:
    compiled = compile_schemas([EventSpec("e", specs, flag_unexpected=flag)], mode)
    return [violation.to_dict() for violation in compiled.validate("e", properties)]


def mismatch(name: str, types: list[str], value: str) -> dict[str, object]:
    return {"property": name, "reason": "type_mismatch", "expected_types": types, "actual_value": value}


def missing(name: str, types: list[str]) -> dict[str, object]:
    return {"property": name, "reason": "missing_required", "expected_types": types, "actual_value": None}


@pytest.mark.parametrize("mode", MODES)
def test_conflicting_types_accept_any_declared_type(mode: Mode) -> None:
    """PostHog's ingestion accepts a value that coerces to any type declared for the name, and lists them all."""
    specs = (P("amount", "Numeric", True), P("amount", "Boolean", False))
    assert check(mode, {"amount": "12"}, *specs) == []
    assert check(mode, {"amount": "true"}, *specs) == []
    assert check(mode, {"amount": "x"}, *specs) == [mismatch("amount", ["Boolean", "Numeric"], "x")]
    assert check(mode, {}, *specs) == [missing("amount", ["Boolean", "Numeric"])]


def test_conflicting_optional_declarations_are_type_checked_in_posthog_mode() -> None:
    specs = (P("size", "Numeric", False), P("size", "DateTime", False))
    assert check("posthog", {"size": "2024-01-02T03:04:05Z"}, *specs) == []
    assert check("posthog", {"size": "big"}, *specs) == [mismatch("size", ["DateTime", "Numeric"], "big")]


@pytest.mark.parametrize("mode", MODES)
def test_conflict_including_string_accepts_everything(mode: Mode) -> None:
    specs = (P("ref", "Numeric", False), P("ref", "String", False))
    assert check(mode, {"ref": [1, 2]}, *specs) == []


def test_same_type_in_several_groups_is_checked_once_and_required_if_any_requires_it() -> None:
    specs = (P("plan", "Numeric", False), P("plan", "Numeric", True), P("plan", "Numeric", False))
    assert check("posthog", {"plan": "x"}, *specs) == [mismatch("plan", ["Numeric"], "x")]
    assert check("posthog", {}, *specs) == [missing("plan", ["Numeric"])]
    assert check("strict", {"plan": "x"}, *specs) == [mismatch("plan", ["Numeric"], "x")]


def test_optional_everywhere_is_never_missing() -> None:
    specs = (P("a", "Numeric", False), P("a", "Numeric", False))
    assert check("posthog", {}, *specs) == []
    assert check("strict", {"a": None}, *specs) == []


def test_unknown_event_and_event_without_properties_are_valid() -> None:
    compiled = compile_schemas([EventSpec("empty", (), flag_unexpected=True)], "strict")
    assert compiled.validate("unknown", {"x": 1}) == ()
    assert compiled.validate("empty", {"x": 1}) == ()
    assert compiled.has_event("empty")
    assert not compiled.has_event("unknown")


def test_event_whose_checks_cannot_fail_is_still_known() -> None:
    compiled = compile_schemas([EventSpec("e", (P("a", "String", False),))], "posthog")
    assert compiled.has_event("e")
    assert compiled.validate("e", {"a": [1]}) == ()


def test_optional_property_is_type_checked_when_present_in_posthog_mode() -> None:
    compiled = compile_schemas([EventSpec("e", (P("a", "Numeric", False),))], "posthog")
    assert compiled.validate("e", {}) == ()
    assert compiled.validate("e", {"a": None}) == ()
    assert [v.to_dict() for v in compiled.validate("e", {"a": "x"})] == [mismatch("a", ["Numeric"], "x")]


def test_unexpected_properties_in_strict_mode_ignore_dollar_keys() -> None:
    specs = (P("a", "String", False),)
    event = {"zeta": 1, "$current_url": "https://x", "a": "ok", "$": 0, "": True, "alpha": {"k": [1]}}
    assert check("strict", event, *specs, flag=True) == [
        {"property": "zeta", "reason": "unexpected_property", "expected_types": [], "actual_value": "1"},
        {"property": "", "reason": "unexpected_property", "expected_types": [], "actual_value": "true"},
        {"property": "alpha", "reason": "unexpected_property", "expected_types": [], "actual_value": '{"k":[1]}'},
    ]
    assert check("strict", {"zeta": None}, *specs, flag=True)[0]["actual_value"] is None


def test_unexpected_properties_are_not_flagged_without_the_flag_or_in_posthog_mode() -> None:
    specs = (P("a", "String", False),)
    assert check("strict", {"zeta": 1}, *specs, flag=False) == []
    assert check("posthog", {"zeta": 1}, *specs, flag=True) == []


def test_remembered_dollar_keys_never_hide_undeclared_keys() -> None:
    compiled = compile_schemas([EventSpec("e", (P("a", "String", False),), flag_unexpected=True)], "strict")
    many_dollar_keys = {f"${i}": i for i in range(5000)}
    assert compiled.validate("e", many_dollar_keys) == ()
    assert compiled.validate("e", many_dollar_keys) == ()
    assert [v.property for v in compiled.validate("e", {**many_dollar_keys, "b": 1})] == ["b"]
    assert [v.property for v in compiled.validate("e", {"$0": 1, "c": 2})] == ["c"]


def test_violations_are_ordered_by_property_name_then_unexpected_keys_in_event_order() -> None:
    specs = (P("zeta", "Numeric", True), P("alpha", "Boolean", True), P("mid", "String", True))
    event = {"zz": 1, "zeta": "x", "aa": 2}
    got = check("strict", event, *specs, flag=True)
    assert [(v["property"], v["reason"]) for v in got] == [
        ("alpha", "missing_required"),
        ("mid", "missing_required"),
        ("zeta", "type_mismatch"),
        ("zz", "unexpected_property"),
        ("aa", "unexpected_property"),
    ]


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("12,5", "12,5"),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (2.5, "2.5"),
        (1e300, "1e+300"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        ([1, "a", None], '[1,"a",null]'),
        ({"k": {"n": [True]}, "é": "ü"}, '{"k":{"n":[true]},"é":"ü"}'),
    ],
    ids=repr,
)
def test_actual_value_is_stringified_like_posthog(value: object, rendered: str) -> None:
    expected_type = "Object" if isinstance(value, str | bool | int | float) else "Numeric"
    assert check("posthog", {"p": value}, P("p", expected_type, True))[0]["actual_value"] == rendered


def test_unrenderable_values_do_not_break_validation() -> None:
    circular: list[object] = []
    circular.append(circular)
    [violation] = check("posthog", {"p": circular}, P("p", "Numeric", True))
    assert violation["actual_value"] == "<unrenderable list>"
    [violation] = check("posthog", {"p": {1, 2}}, P("p", "Numeric", True))
    assert violation["actual_value"] == "{1, 2}"


def test_violation_shape() -> None:
    [violation] = compile_schemas([EventSpec("e", (P("p", "DateTime", True),))], "posthog").validate("e", {"p": "x"})
    assert violation == Violation("p", "type_mismatch", ("DateTime",), "x")
    assert violation.to_dict() == {
        "property": "p",
        "reason": "type_mismatch",
        "expected_types": ["DateTime"],
        "actual_value": "x",
    }
    with pytest.raises(AttributeError):
        violation.reason = "missing_required"  # type: ignore[misc]


def test_valid_events_share_one_immutable_empty_result() -> None:
    compiled = compile_schemas([EventSpec("e", (P("a", "Numeric", True),))], "strict")
    first, second = compiled.validate("e", {"a": 1}), compiled.validate("e", {"a": 2.0})
    assert first == () and first is second
    assert isinstance(compiled.validate("e", {"a": "x"}), tuple)


@pytest.mark.parametrize(
    "name",
    ["k0", "v0", "props", "collect", "NO_VIOLATIONS", "__import__", "a'b", 'a"b', "x\ny", "'); raise SystemExit #", ""],
)
def test_property_names_are_data_never_code(name: str) -> None:
    specs = (P(name, "Numeric", True), P("k1", "Boolean", False))
    for mode in MODES:
        assert check(mode, {name: 1, "k1": True}, *specs) == []
        assert check(mode, {name: "x"}, *specs) == [mismatch(name, ["Numeric"], "x")]


def test_large_schema_compiles_and_validates() -> None:
    specs = tuple(P(f"p{i}", ("Numeric", "String", "Boolean", "DateTime", "Object")[i % 5], True) for i in range(600))
    values = {0: 1, 1: "s", 2: True, 3: "2024-01-01", 4: {}}
    event = {f"p{i}": values[i % 5] for i in range(600)}
    assert check("strict", event, *specs) == []
    assert [v["property"] for v in check("strict", {**event, "p3": "x"}, *specs)] == ["p3"]


def test_non_dict_mappings_are_accepted() -> None:
    specs = (P("a", "Numeric", True), P("b", "String", False))
    assert check("strict", MappingProxyType({"a": 1, "b": None}), *specs, flag=True) == []
    assert check("strict", MappingProxyType({"c": 1}), *specs, flag=True) == [
        missing("a", ["Numeric"]),
        {"property": "c", "reason": "unexpected_property", "expected_types": [], "actual_value": "1"},
    ]


def test_mappings_with_a_default_are_not_mutated() -> None:
    properties: defaultdict[str, object] = defaultdict(list, {"b": 1})
    assert check("strict", properties, P("a", "Numeric", True), P("c", "Object", False)) == [missing("a", ["Numeric"])]
    assert dict(properties) == {"b": 1}


def test_compile_errors() -> None:
    with pytest.raises(ValueError, match="unknown type 'Integer'"):
        compile_schemas([EventSpec("e", (P("a", "Integer", True),))], "posthog")
    with pytest.raises(ValueError, match="more than once"):
        compile_schemas([EventSpec("e", ()), EventSpec("e", ())], "posthog")
    with pytest.raises(ValueError, match="unknown validation mode"):
        compile_schemas([], "lenient")  # type: ignore[arg-type]


# --- validation_rules -------------------------------------------------------------------------------------------


def R(name: str, property_type: str, required: bool, rules: dict[str, object] | None) -> PropertySpec:
    return PropertySpec(name, property_type, required, parse_rules(rules, property_type, name))


def nested(name: str, property_type: str, required: bool = False, rules: object = None) -> dict[str, object]:
    return {
        "name": name,
        "property_type": property_type,
        "is_required": required,
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": rules,
    }


def rule_violation(name: str, reason: str, types: list[str], value: str | None) -> dict[str, object]:
    return {"property": name, "reason": reason, "expected_types": types, "actual_value": value}


@pytest.mark.parametrize("mode", MODES)
def test_a_value_passes_when_any_declaration_accepts_it(mode: Mode) -> None:
    specs = (R("plan", "String", True, {"enum": ["free"]}), R("plan", "String", False, {"enum": ["pro"]}))
    assert check(mode, {"plan": "free"}, *specs) == []
    assert check(mode, {"plan": "pro"}, *specs) == []
    # The first declaration by type, then canonical rules, is the one reported.
    assert check(mode, {"plan": "team"}, *specs) == [rule_violation("plan", "not_in_enum", ["String"], "team")]
    assert check(mode, {"plan": "team"}, *reversed(specs)) == check(mode, {"plan": "team"}, *specs)


@pytest.mark.parametrize("mode", MODES)
def test_rules_with_several_types_report_the_first_type_that_fits(mode: Mode) -> None:
    specs = (R("n", "Numeric", True, {"maximum": 5}), R("n", "Boolean", False, {"enum": [True]}))
    assert check(mode, {"n": "true"}, *specs) == []
    assert check(mode, {"n": "4"}, *specs) == []
    assert check(mode, {"n": 7}, *specs) == [rule_violation("n", "out_of_range", ["Boolean", "Numeric"], "7")]
    assert check(mode, {"n": False}, *specs) == [rule_violation("n", "not_in_enum", ["Boolean", "Numeric"], "false")]
    assert check(mode, {"n": "x"}, *specs) == [rule_violation("n", "type_mismatch", ["Boolean", "Numeric"], "x")]


@pytest.mark.parametrize("mode", MODES)
def test_a_declaration_without_rules_accepts_what_its_type_accepts(mode: Mode) -> None:
    assert check(mode, {"n": 70}, R("n", "Numeric", True, {"maximum": 5}), P("n", "Numeric", False)) == []
    assert check(mode, {"s": 1}, R("s", "String", True, {"enum": ["a"]}), P("s", "String", False)) == []
    assert check(mode, {"s": [1]}, R("s", "Numeric", True, {"minimum": 0}), P("s", "Any", False)) == []
    assert check(mode, {}, R("s", "String", True, {"enum": ["a"]}), P("s", "String", False)) == [
        missing("s", ["String"])
    ]


def test_any_only_has_to_be_present_when_required() -> None:
    for value in (0, "", False, [], {}):
        assert check("strict", {"a": value}, P("a", "Any", True)) == []
    assert check("strict", {"a": None}, P("a", "Any", True)) == [missing("a", ["Any"])]
    assert check("posthog", {}, P("a", "Any", False)) == []


def test_additional_properties_false_flags_nested_keys_in_strict_mode_only() -> None:
    spec = R("o", "Object", True, {"properties": [nested("a", "String")], "additionalProperties": False})
    event = {"o": {"a": "x", "$lib": "web", "b": [1]}}
    assert check("posthog", event, spec) == []
    assert check("strict", event, spec) == [
        rule_violation("o.$lib", "unexpected_property", [], "web"),
        rule_violation("o.b", "unexpected_property", [], "[1]"),
    ]
    open_spec = R("o", "Object", True, {"properties": [nested("a", "String")]})
    assert check("strict", event, open_spec) == []


def test_nested_violations_name_their_path_and_own_type() -> None:
    line = {"properties": [nested("sku", "String", True, {"minLength": 3})]}
    spec = R(
        "cart",
        "Object",
        True,
        {
            "properties": [
                nested("items", "Array", True, {"items": {"property_type": "Object", "validation_rules": line}})
            ]
        },
    )
    event = {"cart": {"items": [{"sku": "abc"}, {"sku": "abc"}, {"sku": "ab"}, {}, "x"]}}
    assert check("posthog", event, spec) == [
        rule_violation("cart.items[2].sku", "too_short", ["String"], "ab"),
        rule_violation("cart.items[3].sku", "missing_required", ["String"], None),
        rule_violation("cart.items[4]", "type_mismatch", ["Object"], "x"),
    ]


def test_violations_with_rules_keep_property_name_order() -> None:
    specs = (R("b", "Numeric", True, {"minimum": 1}), P("a", "Boolean", True), R("c", "Object", True, None))
    got = check("strict", {"b": 0, "a": "no", "c": 1, "z": 1}, *specs, flag=True)
    assert [(v["property"], v["reason"]) for v in got] == [
        ("a", "type_mismatch"),
        ("b", "out_of_range"),
        ("c", "type_mismatch"),
        ("z", "unexpected_property"),
    ]


@pytest.mark.parametrize(
    "name", ["k0", "c0", "r0", "v", "x", "get", "a'b", 'a"b', "x\ny", "'); raise SystemExit #", "", "a.b", "[0]"]
)
def test_nested_names_and_rule_values_are_data_never_code(name: str) -> None:
    rules = {
        "properties": [nested(name, "String", True, {"enum": [name, "'); raise SystemExit #"], "pattern": "^"})],
        "additionalProperties": False,
    }
    spec = R(name, "Object", True, rules)
    for mode in MODES:
        assert check(mode, {name: {name: name}}, spec) == []
        assert check(mode, {name: {name: "other"}}, spec) == [
            rule_violation(f"{name}.{name}", "not_in_enum", ["String"], "other")
        ]


def test_rule_values_of_every_kind_reach_the_fast_path_intact() -> None:
    """Constants are passed as data: big integers, negative zero and floats keep their exact values."""
    big = 10**30
    specs = (R("n", "Numeric", True, {"minimum": big, "enum": [big, 1e31]}),)
    assert check("posthog", {"n": big}, *specs) == []
    assert check("posthog", {"n": big + 1}, *specs) == [rule_violation("n", "not_in_enum", ["Numeric"], str(big + 1))]
    assert [v["reason"] for v in check("posthog", {"n": big - 1}, *specs)] == ["not_in_enum", "out_of_range"]


@pytest.mark.parametrize(
    ("property_type", "rules", "message"),
    [
        ("Boolean", {"minLength": 1}, "'minLength' does not apply to Boolean"),
        ("String", {"minimum": 1}, "'minimum' does not apply to String"),
        ("String", {"colour": "red"}, "'colour' does not apply"),
        ("String", {"pattern": "(unclosed"}, "invalid pattern"),
        ("String", {"pattern": "(a)\\1"}, "invalid pattern"),  # backreferences cannot run in linear time
        ("String", {"format": "phone"}, "unknown format"),
        ("Numeric", {"minimum": "1"}, "finite number"),
        ("Numeric", {"maximum": True}, "finite number"),
        ("String", {"minLength": -1}, "integer >= 0"),
        ("String", {"enum": "a"}, "list of strings"),
        ("String", {"enum": [None]}, "list of strings"),
        ("String", {"not": {"enum": ["a"], "pattern": "b"}}, "only an enum"),
        ("Object", {"properties": [{"name": "a", "property_type": "Text"}]}, "unknown type 'Text'"),
        ("Object", {"properties": [nested("a", "String"), nested("a", "String")]}, "unique"),
        ("Object", {"additionalProperties": "no"}, "must be a boolean"),
        ("Array", {"items": {"property_type": "Array"}, "minItems": 1.5}, "integer >= 0"),
    ],
)
def test_rules_the_engine_cannot_read_are_compile_errors(property_type: str, rules: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rules(rules, property_type, "p")


def test_nesting_deeper_than_five_levels_is_refused() -> None:
    rules: dict[str, object] | None = None
    for _ in range(5):
        rules = {"items": {"property_type": "Array", "validation_rules": rules}}
    spec = R("a", "Array", True, rules)  # five levels below the property: accepted
    assert check("strict", {"a": [[[[[[]]]]]]}, spec) == []
    with pytest.raises(ValueError, match="nested deeper than 5 levels"):
        parse_rules({"items": {"property_type": "Array", "validation_rules": rules}}, "Array", "a")


def test_empty_rules_are_no_rules() -> None:
    assert parse_rules({}, "String", "p") is None
    assert parse_rules(None, "String", "p") is None
    assert parse_rules({"enum": ["a"]}, "String", "p") == parse_rules({"enum": ["a"]}, "String", "p")


def test_a_plan_without_rules_compiles_to_the_code_it_always_did() -> None:
    """Rules cost nothing where there are none: no helper functions, one inlined type test per property."""
    from eventschema.validation.compiler import _source
    from eventschema.validation.plan import plan_event

    spec = EventSpec("e", tuple(P(t, t, True) for t in ("Numeric", "Boolean", "DateTime", "Object", "Array", "Any")))
    plan = plan_event(spec, "posthog")
    assert plan is not None
    lines = _source(plan, {})
    assert [line for line in lines if line.startswith("def ")] == ["def validate(props):"]
    assert not any("a0(" in line or "r0(" in line for line in lines)
    assert "    if v is None:" in lines  # the required Any: presence only
