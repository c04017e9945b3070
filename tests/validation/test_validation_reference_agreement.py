"""Property tests: the compiled engine agrees with the plain reference reading of the rules."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventschema.validation import EventSpec, Mode, PropertySpec, compile_schemas
from eventschema.validation.checks import CHECKS
from tests.validation import validation_reference as ref

TYPES = ("DateTime", "String", "Numeric", "Boolean", "Object")
NAMES = ("a", "b", "c", "amount", "ts", "has space", "$lib", "x'); import os #", "")
EXTRA_KEYS = ("$current_url", "$browser", "zzz", "other", "$")
MODES: tuple[Mode, ...] = ("posthog", "strict")

SPECIAL_STRINGS = (
    *("", " ", "true", "false", "True", "FALSE", "null", "{}", "[]"),
    *("nan", "NaN", "-nan", "inf", "-Infinity", "infinity", "1_000", "0x1A", "1e999", "-1e-999"),
    *("\u0661\u0662\u0663", "\u00a012\u00a0"),
    *("1,5", "+.5", "5.", ".", "e5", "1e", "--1", "\x1c7\x1f", "\ufeff1"),
)


@st.composite
def date_strings(draw: st.DrawFn) -> str:
    """Date-time strings in every accepted shape, with components often just out of range."""
    year = draw(st.sampled_from((0, 1, 1900, 2000, 2023, 2024, 9999)) | st.integers(0, 9999))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    hour, minute, second = draw(st.integers(0, 24)), draw(st.integers(0, 60)), draw(st.integers(0, 60))
    date = f"{year:04d}-{month:02d}-{day:02d}"
    clock = f"{hour:02d}:{minute:02d}"
    shape = draw(st.sampled_from(("iso", "compact", "unix", "rfc")))
    if shape == "iso":
        text = date
        if draw(st.booleans()):
            fraction = "." + "7" * draw(st.integers(1, 10)) if draw(st.booleans()) else ""
            seconds = f":{second:02d}{fraction}" if draw(st.booleans()) else ""
            offset = draw(st.sampled_from(("", "Z", "z", "+05:30", "-0800", "+01", "+24:00", "+05:60", "+5", "UTC")))
            text += draw(st.sampled_from("Tt _")) + clock + seconds + offset
    elif shape == "compact":
        text = f"{year:04d}{month:02d}{day:02d}" + (
            f"{hour:02d}{minute:02d}{second:02d}" if draw(st.booleans()) else ""
        )
    elif shape == "unix":
        text = "1" * draw(st.integers(8, 15))
    else:
        weekday = draw(st.sampled_from(("", "Tue, ", "tue,", "SUN,  ", "Xyz, ", "Tue ")))
        month_name = draw(st.sampled_from((*ref.MONTHS, "Foo")))
        month_name = draw(st.sampled_from((month_name, month_name.upper(), month_name.title())))
        zone = draw(st.sampled_from(("+0200", "-0000", "GMT", "utc", "Z", "pdt", "+2400", "+0260", "CET", "+02:00")))
        seconds = f":{second:02d}" if draw(st.booleans()) else ""
        day_text = str(day) if draw(st.booleans()) else f"{day:02d}"
        text = f"{weekday}{day_text} {month_name} {year:04d} {clock}{seconds} {zone}"
    return draw(st.sampled_from(("", " ", "\t"))) + text + draw(st.sampled_from(("", " ", "\n", "x", "0")))


numeric_strings = st.text(alphabet="0123456789+-.eE_ \t", max_size=12) | st.builds(
    lambda number, pad: f"{pad}{number}{pad}",
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(("", " ")),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    numeric_strings,
    date_strings(),
    st.sampled_from(SPECIAL_STRINGS),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@st.composite
def event_specs(draw: st.DrawFn) -> EventSpec:
    """An event linked to 0-3 groups; names are unique within a group but may repeat across groups."""
    properties: list[PropertySpec] = []
    for _ in range(draw(st.integers(0, 3) | st.integers(1, 3))):
        for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=5)):
            properties.append(PropertySpec(name, draw(st.sampled_from(TYPES)), draw(st.booleans())))
    return EventSpec(draw(st.sampled_from(("signup", "purchase", "page"))), tuple(properties), draw(st.booleans()))


schemas = st.lists(event_specs(), min_size=1, max_size=3, unique_by=lambda event: event.name)
event_keys = st.sampled_from(NAMES) | st.sampled_from(NAMES + EXTRA_KEYS) | st.text(max_size=4)
events = st.none() | st.dictionaries(event_keys, values, max_size=10)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=schemas, mode=st.sampled_from(MODES), data=st.data())
def test_compiled_engine_agrees_with_reference(specs: list[EventSpec], mode: Mode, data: st.DataObject) -> None:
    """Several events against one compiled schema version, so validators' remembered "$" keys are exercised."""
    compiled = compile_schemas(specs, mode)
    event_names = [event.name for event in specs] + ["unknown"]
    for _ in range(data.draw(st.integers(1, 6))):
        event_name = data.draw(st.sampled_from(event_names))
        properties = data.draw(events)
        got = [violation.to_dict() for violation in compiled.validate(event_name, properties)]
        assert got == ref.reference_validate(specs, mode, event_name, properties)


ONE_OF_EACH_TYPE = [EventSpec("e", tuple(PropertySpec(t, t, True) for t in TYPES))]
COMPILED_ONE_OF_EACH = {mode: compile_schemas(ONE_OF_EACH_TYPE, mode) for mode in MODES}


@settings(max_examples=1500, deadline=None)
@given(value=values)
def test_type_checks_agree_with_reference(value: object) -> None:
    """The same value under a required property of every type, through the compiled fast paths and directly."""
    for property_type in TYPES:
        assert CHECKS[property_type](value) is ref.CHECKS[property_type](value), property_type
    for mode, compiled in COMPILED_ONE_OF_EACH.items():
        got = [v.to_dict() for v in compiled.validate("e", dict.fromkeys(TYPES, value))]
        assert got == ref.reference_validate(ONE_OF_EACH_TYPE, mode, "e", dict.fromkeys(TYPES, value))


@settings(max_examples=2000, deadline=None)
@given(text=date_strings())
def test_datetime_strings_agree_with_reference(text: str) -> None:
    assert CHECKS["DateTime"](text) is ref.is_datetime(text)


@settings(max_examples=2000, deadline=None)
@given(text=numeric_strings | st.text(max_size=8))
def test_numeric_strings_agree_with_reference(text: str) -> None:
    assert CHECKS["Numeric"](text) is ref.is_numeric(text)
