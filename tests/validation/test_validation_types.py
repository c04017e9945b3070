"""Every property type against every accepted and rejected input form, required and optional, in both modes."""

from __future__ import annotations

import enum
import math

import pytest

from eventschema.validation import EventSpec, Mode, PropertySpec, compile_schemas


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
