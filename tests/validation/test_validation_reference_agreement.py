"""Property tests: the compiled engine agrees with the plain reference reading of the rules."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventschema.validation import EventSpec, Mode, PropertySpec, compile_schemas, parse_rules
from eventschema.validation.checks import CHECKS
from tests.validation import validation_reference as ref

pytestmark = pytest.mark.slow

TYPES = ("DateTime", "String", "Numeric", "Boolean", "Object", "Any", "Array")
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


# --- validation rules: every key on every type it applies to, nested objects and arrays up to 2 levels down ----

NESTED_NAMES = ("a", "b", "c", "$x")
MEMBER_STRINGS = ("a", "ab", "5", "0.5", "true", "2024-01-01", '{"a":1}')
members = st.sampled_from(MEMBER_STRINGS) | st.integers(-1, 1) | st.sampled_from((0.5, 1.0, True, False))
member_lists = st.lists(members, min_size=1, max_size=4, unique_by=lambda m: (type(m).__name__, m))
bounds = st.integers(-2, 2) | st.sampled_from((0.5, -1.5))
PATTERNS = ("^a", "b$", "^[a-z]+$", "[0-9]", "^$", ".", "^(a|b)*$", "é")
FORMATS = ("email", "uri", "uuid", "date", "date-time")
ENUM_RULES = {"enum": member_lists, "not": st.builds(lambda m: {"enum": m}, member_lists)}
RULES_BY_TYPE = {
    "String": {
        **ENUM_RULES,
        "pattern": st.sampled_from(PATTERNS),
        "minLength": st.integers(0, 3),
        "maxLength": st.integers(0, 4),
        "format": st.sampled_from(FORMATS),
    },
    "Numeric": {
        **ENUM_RULES,
        "minimum": bounds,
        "maximum": bounds,
        "exclusiveMinimum": bounds,
        "exclusiveMaximum": bounds,
    },
    "Boolean": ENUM_RULES,
    "DateTime": ENUM_RULES,
    "Any": ENUM_RULES,
}


@st.composite
def rules_for(draw: st.DrawFn, property_type: str, depth: int) -> dict[str, object] | None:
    """Stored rules for a declaration of `property_type` at `depth`, often none."""
    if draw(st.integers(0, 3)) == 0:
        return None
    if property_type == "Object":
        if depth >= 2:
            return None
        names = draw(st.lists(st.sampled_from(NESTED_NAMES), unique=True, max_size=3))
        rules: dict[str, object] = {"properties": [draw(nested_declarations(name, depth + 1)) for name in names]}
        if draw(st.booleans()):
            rules["additionalProperties"] = draw(st.booleans())
        return rules
    if property_type == "Array":
        rules = {}
        if depth < 2 and draw(st.booleans()):
            item_type = draw(st.sampled_from(TYPES))
            rules["items"] = {
                "property_type": item_type,
                "description": "",
                "validation_rules": draw(rules_for(item_type, depth + 1)),
            }
        for key in ("minItems", "maxItems"):
            if draw(st.booleans()):
                rules[key] = draw(st.integers(0, 3))
        return rules
    options = RULES_BY_TYPE[property_type]
    keys = draw(st.lists(st.sampled_from(sorted(options)), unique=True, min_size=1, max_size=3))
    return {key: draw(options[key]) for key in keys}


@st.composite
def nested_declarations(draw: st.DrawFn, name: str, depth: int) -> dict[str, object]:
    property_type = draw(st.sampled_from(TYPES))
    return {
        "name": name,
        "property_type": property_type,
        "is_required": draw(st.booleans()),
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": draw(rules_for(property_type, depth)),
    }


@st.composite
def event_specs(draw: st.DrawFn, with_rules: bool = False) -> EventSpec:
    """An event linked to 0-3 groups; names are unique within a group but may repeat across groups."""
    properties: list[PropertySpec] = []
    for _ in range(draw(st.integers(0, 3) | st.integers(1, 3))):
        for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=5)):
            property_type = draw(st.sampled_from(TYPES))
            stored = draw(rules_for(property_type, 0)) if with_rules else None
            rules = parse_rules(stored, property_type, name)
            properties.append(PropertySpec(name, property_type, draw(st.booleans()), rules))
    return EventSpec(draw(st.sampled_from(("signup", "purchase", "page"))), tuple(properties), draw(st.booleans()))


schemas = st.lists(event_specs(), min_size=1, max_size=3, unique_by=lambda event: event.name)
event_keys = st.sampled_from(NAMES) | st.sampled_from(NAMES + EXTRA_KEYS) | st.text(max_size=4)
events = st.none() | st.dictionaries(event_keys, values, max_size=10)

# Values that reach the rules: enum members and near-bound numbers, strings that fit the formats, objects keyed
# by the nested names and short arrays.
FORMAT_STRINGS = (
    "ada@example.com",
    "a..b@x",
    "https://e.com/a?b",
    "e.com",
    "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50",
    "2024-02-29",
    "2023-02-29",
    "2024-05-01T12:34:56Z",
    "2024-05-01T12:34:56",
)
rule_scalars = st.one_of(
    members,
    members,
    bounds,
    st.integers(-4, 4).map(str),
    st.sampled_from(FORMAT_STRINGS),
    st.sampled_from((" 2 ", "-1.5", "0.0", "1e0", "abc", "ba", "é")),
    scalars,
)
rule_values = st.recursive(
    rule_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from((*NESTED_NAMES, "z")), children, max_size=4)
    ),
    max_leaves=8,
)
rule_schemas = st.lists(event_specs(with_rules=True), min_size=1, max_size=3, unique_by=lambda event: event.name)


def rule_events(event: EventSpec) -> st.SearchStrategy[dict[str, object] | None]:
    """Events that mostly set the declared names (so rules are reached), plus a few other keys."""
    declared = sorted({prop.name for prop in event.properties})
    present = st.fixed_dictionaries({}, optional=dict.fromkeys(declared, rule_values))
    others = st.dictionaries(st.sampled_from(NAMES + EXTRA_KEYS), rule_values, max_size=2)
    return st.none() | st.builds(lambda mine, extra: {**extra, **mine}, present, others)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=rule_schemas, mode=st.sampled_from(MODES), data=st.data())
def test_compiled_rules_agree_with_reference(specs: list[EventSpec], mode: Mode, data: st.DataObject) -> None:
    """Rules of every kind on every type, nested objects and arrays, several declarations of one name."""
    compiled = compile_schemas(specs, mode)
    for _ in range(data.draw(st.integers(1, 4))):
        event = data.draw(st.sampled_from(specs))
        properties = data.draw(rule_events(event))
        got = [violation.to_dict() for violation in compiled.validate(event.name, properties)]
        assert got == ref.reference_validate(specs, mode, event.name, properties)


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


@st.composite
def one_declaration_and_value(draw: st.DrawFn) -> tuple[PropertySpec, object]:
    """One declaration with rules, and a value often taken from its own enum members and bounds (sent as
    numbers, numeric strings and just beside the bound), so that every rule is hit from both sides."""
    property_type = draw(st.sampled_from(TYPES))
    stored = draw(rules_for(property_type, 0).filter(lambda rules: rules is not None))
    assert stored is not None
    candidates: list[object] = [*stored.get("enum", []), *stored.get("not", {}).get("enum", [])]  # type: ignore[attr-defined]
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key in stored:
            bound = stored[key]
            candidates += [bound, bound + 0.5, bound - 0.5, str(bound), f" {bound} "]  # type: ignore[operator]
    value = draw(st.sampled_from(candidates) if candidates and draw(st.booleans()) else rule_values)
    spec = PropertySpec("p", property_type, draw(st.booleans()), parse_rules(stored, property_type, "p"))
    return spec, value


@settings(max_examples=3000, deadline=None)
@given(case=one_declaration_and_value(), mode=st.sampled_from(MODES))
def test_each_rule_agrees_with_reference_from_both_sides(case: tuple[PropertySpec, object], mode: Mode) -> None:
    spec, value = case
    specs = [EventSpec("e", (spec,))]
    got = [violation.to_dict() for violation in compile_schemas(specs, mode).validate("e", {"p": value})]
    assert got == ref.reference_validate(specs, mode, "e", {"p": value})
