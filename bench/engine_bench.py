"""Single-core throughput of the validation engine against jsonschema-rs and fastjsonschema.

Run from the project root:
    PYTHONPATH=src .venv/bin/python bench/engine_bench.py [--rounds N] [--seconds S] [--case typed|rules]

Two realistic events are validated in a single thread by every contender:
- `order_completed`, typed properties only (20 properties: 12 declared across 3 property groups, 7 of them
  required, covering the five flat types, plus 8 SDK `$`-properties);
- `checkout_started`, with validation rules (19 properties: 11 declared, 7 of them with rules: three
  enums, a pattern, two ranges, a nested object with its own enum and range, and an array of 3 nested
  objects with a length, a pattern and ranges, plus 8 SDK `$`-properties).
Each round times every contender for about `--seconds`, in an order rotated from round to round so that
machine noise hits all of them alike; the table reports the median of the rounds and ratios taken within the
same run, since these machines are shared.

The JSON Schemas are as close to the engine's rules as JSON Schema allows; the differences:
- required-but-null: JSON Schema's `required` only tests the key, so each required property also gets
  `not: {type: null}` (PostHog treats null as missing); an optional property admits null explicitly;
- Numeric: number, or a string matching the decimal grammar of `is_numeric_text` with surrounding whitespace;
  NaN and overflowing strings such as "1e999" cannot be excluded by a pattern;
- Boolean: an enum; fastjsonschema compares enums with Python's ==, so it would also take 1 and 0;
- DateTime: number, or a string matching the engine's own date-time patterns (the RFC 2822 one wrapped in a
  case-insensitive group); `\\s` and `$` differ slightly between regex dialects (a trailing newline);
- both modes type-check all 12 declared properties (optional ones when present and not null, as PostHog's
  ingestion does); strict mode also forbids undeclared keys except `$`-prefixed ones through
  patternProperties.
For `checkout_started`, the rules translate one to one (`enum`, `pattern`, `minimum`, ... are JSON Schema's
own keywords); its ranged properties are sent as JSON numbers and given `type: number` there, since a
pattern cannot range-check a numeric string; the nested objects declare `additionalProperties: false`, which
strict mode enforces.
jsonschema-rs is given a compiled validator and timed on its boolean `is_valid` (its fastest path) and on
`iter_errors` (the full list, like the engine's validate()); fastjsonschema raises at the first error.
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle, islice, repeat

import fastjsonschema
import jsonschema_rs

from eventschema.validation import EventSpec, Mode, PropertySpec, Rules, compile_schemas, parse_rules
from eventschema.validation.datetimes import COMPACT_OR_UNIX, ISO_DATETIME, RFC_2822

EVENT = "order_completed"
GROUPS = {
    "checkout": [
        PropertySpec("order_id", "String", True),
        PropertySpec("total", "Numeric", True),
        PropertySpec("currency", "String", True),
        PropertySpec("placed_at", "DateTime", True),
        PropertySpec("item_count", "Numeric", True),
    ],
    "customer": [
        PropertySpec("is_first_order", "Boolean", True),
        PropertySpec("customer", "Object", True),
        PropertySpec("plan", "String", False),
    ],
    "marketing": [
        PropertySpec("coupon_code", "String", False),
        PropertySpec("discount", "Numeric", False),
        PropertySpec("shipped_at", "DateTime", False),
        PropertySpec("gift", "Boolean", False),
    ],
}
SPEC = EventSpec(EVENT, tuple(p for group in GROUPS.values() for p in group), flag_unexpected=True)

VALID_EVENT: dict[str, object] = {
    "order_id": "ord_8f14e45fceea167a",
    "total": "129.99",
    "currency": "EUR",
    "placed_at": "2024-05-01T12:34:56.789Z",
    "item_count": 3,
    "is_first_order": True,
    "customer": {"id": 4711, "tier": "gold", "tags": ["b2b", "eu"]},
    "plan": "pro",
    "coupon_code": "SPRING24",
    "discount": 10.5,
    "shipped_at": "2024-05-02 09:00:00",
    "gift": "false",
    "$current_url": "https://shop.example.com/checkout/complete",
    "$browser": "Firefox",
    "$browser_version": 125,
    "$os": "Mac OS X",
    "$device_type": "Desktop",
    "$lib": "web",
    "$lib_version": "1.130.0",
    "$session_id": "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50",
}
# Two required properties wrong (one missing, one mistyped) and one optional one mistyped.
INVALID_EVENT: dict[str, object] = {
    **{k: v for k, v in VALID_EVENT.items() if k != "currency"},
    "total": "12,99",
    "shipped_at": "2024-02-30",
}

# The grammar of eventschema.validation.checks.is_numeric_text, as a pattern.
_DECIMAL_NUMBER = r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"
_NULL = {"type": "null"}
_NOT_NULL = {"not": _NULL}
_DATETIME_PATTERN = rf"^\s*(?:{ISO_DATETIME.pattern}|{COMPACT_OR_UNIX.pattern}|(?i:{RFC_2822.pattern}))\s*$"
JSON_TYPES: dict[str, dict[str, object]] = {
    "String": {},
    "Numeric": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DECIMAL_NUMBER}]},
    "Boolean": {"enum": [True, False, "true", "false"]},
    "DateTime": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DATETIME_PATTERN}]},
    "Object": {"type": ["object", "array"]},
}


def typed_json_schema(mode: Mode) -> dict[str, object]:
    """The JSON Schema equivalent of SPEC compiled in `mode` (see the module docstring for the differences)."""
    properties: dict[str, object] = {}
    for prop in SPEC.properties:
        if prop.is_required:
            properties[prop.name] = {"allOf": [_NOT_NULL, JSON_TYPES[prop.property_type]]}
        else:
            properties[prop.name] = {"anyOf": [_NULL, JSON_TYPES[prop.property_type]]}
    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": [p.name for p in SPEC.properties if p.is_required],
        "properties": properties,
    }
    if mode == "strict":
        schema["patternProperties"] = {"^\\$": {}}
        schema["additionalProperties"] = False
    return schema


RULES_EVENT = "checkout_started"


def _declare(name: str, property_type: str, required: bool, rules: dict[str, object] | None = None) -> PropertySpec:
    return PropertySpec(name, property_type, required, parse_rules(rules, property_type, name))


def _nested(name: str, property_type: str, required: bool, rules: dict[str, object] | None) -> dict[str, object]:
    """A nested declaration as stored (every field filled in)."""
    return {
        "name": name,
        "property_type": property_type,
        "is_required": required,
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": rules,
    }


COUNTRIES = ["AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE", "US"]
LINE_ITEM_RULES: dict[str, object] = {
    "properties": [
        _nested("sku", "String", True, {"pattern": "^[A-Z]{3}-[0-9]{4,8}$"}),
        _nested("price", "Numeric", True, {"minimum": 0}),
        _nested("quantity", "Numeric", True, {"minimum": 1, "maximum": 99}),
    ],
    "additionalProperties": False,
}
RULES_SPEC = EventSpec(
    RULES_EVENT,
    (
        _declare("plan", "String", True, {"enum": ["free", "pro", "enterprise"]}),
        _declare("country", "String", True, {"enum": COUNTRIES}),
        _declare("currency", "String", True, {"enum": ["EUR", "USD", "GBP", "CHF"]}),
        _declare("order_id", "String", True, {"pattern": "^ord_[0-9a-f]{16}$"}),
        _declare("total", "Numeric", True, {"minimum": 0, "maximum": 100000}),
        _declare("discount", "Numeric", False, {"minimum": 0, "exclusiveMaximum": 100}),
        _declare(
            "customer",
            "Object",
            True,
            {
                "properties": [
                    _nested("id", "Numeric", True, {"minimum": 1}),
                    _nested("tier", "String", False, {"enum": ["bronze", "silver", "gold"]}),
                ]
            },
        ),
        _declare(
            "items",
            "Array",
            True,
            {
                "items": {"property_type": "Object", "description": "", "validation_rules": LINE_ITEM_RULES},
                "minItems": 1,
            },
        ),
        _declare("started_at", "DateTime", True),
        _declare("is_returning", "Boolean", False),
        _declare("referrer", "String", False),
    ),
    flag_unexpected=True,
)
RULES_VALID_EVENT: dict[str, object] = {
    "plan": "pro",
    "country": "DE",
    "currency": "EUR",
    "order_id": "ord_8f14e45fceea167a",
    "total": 129.99,
    "discount": 10,
    "customer": {"id": 4711, "tier": "gold"},
    "items": [
        {"sku": "ABC-1234", "price": 49.99, "quantity": 2},
        {"sku": "XYZ-98765", "price": 20.0, "quantity": 1},
        {"sku": "KLM-5555", "price": 10.01, "quantity": 1},
    ],
    "started_at": "2024-05-01T12:30:00Z",
    "is_returning": True,
    "referrer": "newsletter",
    **{k: v for k, v in VALID_EVENT.items() if k.startswith("$")},
}


@dataclass(frozen=True)
class Pool:
    """Distinct events validated in turn, so no contender is timed on one value over and over."""

    events: tuple[dict[str, object], ...]


def _pool(size: int = 4096) -> Pool:
    """Variants of RULES_VALID_EVENT: unique order ids (as in real traffic), SKUs from a catalogue of 300."""
    events = []
    for n in range(size):
        skus = [f"{'ABCDEFGHIJ'[(n + i) % 10]}XY-{1000 + (n * 7 + i) % 300}" for i in range(3)]
        items = [{**item, "sku": sku} for item, sku in zip(RULES_VALID_EVENT["items"], skus, strict=True)]  # type: ignore[call-overload]
        events.append({**RULES_VALID_EVENT, "order_id": f"ord_{n:016x}", "items": items})
    return Pool(tuple(events))


# An enum, the pattern and a nested range wrong.
RULES_INVALID_EVENT: dict[str, object] = {
    **RULES_VALID_EVENT,
    "plan": "gold",
    "order_id": "ORD-1",
    "items": [{"sku": "ABC-1234", "price": 49.99, "quantity": 0}],
}


def _json_rules(property_type: str, rules: Rules | None) -> dict[str, object]:
    """The JSON Schema of one declaration of RULES_SPEC (only the forms it uses)."""
    if rules is None:
        return dict(JSON_TYPES[property_type])
    schema: dict[str, object] = {}
    if property_type == "String":
        schema["type"] = "string"
        if rules.enum is not None:
            schema["enum"] = list(rules.enum)
        if rules.pattern is not None:
            schema["pattern"] = rules.pattern
    elif property_type == "Numeric":
        schema["type"] = "number"
        for key, bound in (
            ("minimum", rules.minimum),
            ("maximum", rules.maximum),
            ("exclusiveMinimum", rules.exclusive_minimum),
            ("exclusiveMaximum", rules.exclusive_maximum),
        ):
            if bound is not None:
                schema[key] = bound
    elif property_type == "Object":
        nested = rules.properties or ()
        schema["type"] = "object"
        schema["required"] = [p.name for p in nested if p.is_required]
        schema["properties"] = {p.name: _json_rules(p.property_type, p.rules) for p in nested}
    elif property_type == "Array":
        schema["type"] = "array"
        if rules.min_items is not None:
            schema["minItems"] = rules.min_items
        if rules.items is not None:
            schema["items"] = _json_rules(rules.items.property_type, rules.items.rules)
    return schema


def rules_json_schema(mode: Mode) -> dict[str, object]:
    """The JSON Schema equivalent of RULES_SPEC compiled in `mode`."""
    properties: dict[str, object] = {}
    for prop in RULES_SPEC.properties:
        own = _json_rules(prop.property_type, prop.rules)
        if prop.is_required:
            properties[prop.name] = {"allOf": [_NOT_NULL, own]} if prop.rules is None else own
        else:
            properties[prop.name] = {"anyOf": [_NULL, own]}
    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": [p.name for p in RULES_SPEC.properties if p.is_required],
        "properties": properties,
    }
    if mode == "strict":
        schema["patternProperties"] = {"^\\$": {}}
        schema["additionalProperties"] = False
        items = properties["items"]["items"]  # type: ignore[index]
        items["additionalProperties"] = False
    return schema


@dataclass(frozen=True)
class Case:
    """One benchmark event: its schema, a valid and an invalid instance, its JSON Schema, its targets."""

    title: str
    spec: EventSpec
    valid: dict[str, object]
    invalid: dict[str, object]
    json_schema: Callable[[Mode], dict[str, object]]
    # mode -> (target vs jsonschema-rs is_valid, target vs fastjsonschema or None)
    targets: dict[str, tuple[float, float | None]]
    # When set, valid events are timed over this pool instead of `valid` alone.
    valid_pool: Pool | None = None


CASES = (
    Case(
        "typed properties (order_completed)",
        SPEC,
        VALID_EVENT,
        INVALID_EVENT,
        typed_json_schema,
        {"posthog": (0.7, 3.0), "strict": (0.5, None)},
    ),
    Case(
        "validation rules (checkout_started)",
        RULES_SPEC,
        RULES_VALID_EVENT,
        RULES_INVALID_EVENT,
        rules_json_schema,
        {"posthog": (0.5, None), "strict": (0.5, None)},
        _pool(),
    ),
)


def fastjsonschema_verdict(validate: Callable[[object], object]) -> Callable[[object], bool]:
    """fastjsonschema signals failure by raising; turn that into the same boolean verdict as the others."""

    def verdict(event: object) -> bool:
        try:
            validate(event)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return verdict


def contenders(case: Case, mode: Mode) -> dict[str, Callable[[object], object]]:
    """Name -> one-argument callable validating the case's event, for one mode."""
    engine = compile_schemas([case.spec], mode)
    rs = jsonschema_rs.validator_for(case.json_schema(mode))
    fast = fastjsonschema.compile(case.json_schema(mode))
    return {
        f"eventschema engine ({mode}) validate()": functools.partial(engine.validate, case.spec.name),
        f"jsonschema-rs ({mode}-equivalent) is_valid": rs.is_valid,
        f"jsonschema-rs ({mode}-equivalent) iter_errors": lambda event: list(rs.iter_errors(event)),
        f"fastjsonschema ({mode}-equivalent)": fastjsonschema_verdict(fast),
    }


def check_agreement(case: Case, runs: dict[str, Callable[[object], object]]) -> None:
    """Refuse to time contenders that do not agree on which event is valid."""
    for name, run in runs.items():
        pool = case.valid_pool.events if case.valid_pool is not None else ()
        for event, valid in ((case.valid, True), (case.invalid, False), *((e, True) for e in pool)):
            verdict = run(event)
            if (verdict if isinstance(verdict, bool) else not verdict) is not valid:
                raise SystemExit(f"{name} calls the {'valid' if valid else 'invalid'} event the opposite")


def time_loop(run: Callable[[object], object], event: object, calls: int) -> float:
    """Seconds taken by `calls` back-to-back validations of `event`, or of the events of a `Pool` in turn."""
    if isinstance(event, Pool):
        events = islice(cycle(event.events), calls)
        start = time.perf_counter()
        for one in events:
            run(one)
        return time.perf_counter() - start
    start = time.perf_counter()
    for _ in repeat(None, calls):
        run(event)
    return time.perf_counter() - start


def calibrate(run: Callable[[object], object], event: object, seconds: float) -> int:
    """A call count that takes about `seconds` for this contender."""
    calls = 1000
    while (elapsed := time_loop(run, event, calls)) < seconds / 4:
        calls *= 4
    return max(1000, int(calls * seconds / elapsed))


def measure(
    runs: dict[str, Callable[[object], object]], event: object, rounds: int, seconds: float
) -> dict[str, float]:
    """Median events/s per contender over `rounds`, rotating the order of contenders every round."""
    names = list(runs)
    calls = {name: calibrate(runs[name], event, seconds) for name in names}
    rates: dict[str, list[float]] = {name: [] for name in names}
    gc.disable()
    try:
        for round_no in range(rounds):
            shift = round_no % len(names)
            for name in names[shift:] + names[:shift]:
                rates[name].append(calls[name] / time_loop(runs[name], event, calls[name]))
    finally:
        gc.enable()
    return {name: statistics.median(values) for name, values in rates.items()}


def baselines(rates: dict[str, float]) -> tuple[float, float]:
    """The jsonschema-rs is_valid and fastjsonschema figures that ratios are taken against."""
    rs = next(rate for name, rate in rates.items() if name.endswith("is_valid"))
    fast = next(rate for name, rate in rates.items() if name.startswith("fastjsonschema"))
    return rs, fast


def table(title: str, rates: dict[str, float]) -> str:
    """A markdown table with ratios against the jsonschema-rs is_valid and fastjsonschema figures."""
    rs, fast = baselines(rates)
    lines = [
        f"### {title}",
        "",
        "| contender | events/s | ratio vs jsonschema-rs is_valid | ratio vs fastjsonschema |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {rate:,.0f} | {rate / rs:.2f}x | {rate / fast:.2f}x |" for name, rate in rates.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per contender (median reported)")
    parser.add_argument("--seconds", type=float, default=0.2, help="approximate length of one timed loop")
    parser.add_argument("--case", choices=("typed", "rules"), help="run only this event (default: both)")
    args = parser.parse_args()

    for case in CASES:
        if args.case is not None and not case.title.startswith("typed" if args.case == "typed" else "validation"):
            continue
        print(f"## {case.title}", end="\n\n")
        for mode in ("posthog", "strict"):
            runs = contenders(case, mode)
            check_agreement(case, runs)
            valid = case.valid if case.valid_pool is None else case.valid_pool
            for label, event in (("valid event", valid), ("invalid event", case.invalid)):
                if isinstance(event, Pool):
                    label = f"valid events ({len(event.events)} distinct, in turn)"
                rates = measure(runs, event, args.rounds, args.seconds)
                print(table(f"{mode} mode, {label}", rates), end="\n\n")
                if event is valid:
                    print(target_line(mode, rates, *case.targets[mode]), end="\n\n")


def target_line(mode: str, rates: dict[str, float], vs_rs: float, vs_fast: float | None) -> str:
    """Whether the engine met its targets on the valid event, stated against the same run's figures."""
    engine = next(rate for name, rate in rates.items() if name.startswith("eventschema"))
    rs, fast = baselines(rates)
    verdicts = [f"{engine / rs:.2f}x jsonschema-rs (target >= {vs_rs}x): {'met' if engine / rs >= vs_rs else 'MISSED'}"]
    if vs_fast is not None:
        met = "met" if engine / fast >= vs_fast else "MISSED"
        verdicts.append(f"{engine / fast:.2f}x fastjsonschema (target >= {vs_fast}x): {met}")
    return f"Target, {mode} mode: " + "; ".join(verdicts)


if __name__ == "__main__":
    main()
