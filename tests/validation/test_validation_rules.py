"""Schema-level rules: reconciling groups, unknown events, undeclared keys, result shape and compile errors."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType

import pytest

from eventschema.validation import EventSpec, Mode, PropertySpec, Violation, compile_schemas

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
