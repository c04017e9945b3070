"""Single-core throughput of the validation engine against jsonschema-rs and fastjsonschema.

Run from the project root:  PYTHONPATH=src .venv/bin/python bench/engine_bench.py [--rounds N] [--seconds S]

One realistic event (20 properties: 12 declared across 3 property groups, 7 of them required, covering all
five types, plus 8 SDK `$`-properties) is validated in a single thread by every contender. Each round times
every contender for about `--seconds`, in an order rotated from round to round so that machine noise hits all
of them alike; the table reports the median of the rounds and ratios taken within the same run, since these
machines are shared.

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
from itertools import repeat

import fastjsonschema
import jsonschema_rs

from eventschema.validation import EventSpec, Mode, PropertySpec, compile_schemas
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


def json_schema(mode: Mode) -> dict[str, object]:
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


def fastjsonschema_verdict(validate: Callable[[object], object]) -> Callable[[object], bool]:
    """fastjsonschema signals failure by raising; turn that into the same boolean verdict as the others."""

    def verdict(event: object) -> bool:
        try:
            validate(event)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return verdict


def contenders(mode: Mode) -> dict[str, Callable[[object], object]]:
    """Name -> one-argument callable validating an event, for one mode."""
    engine = compile_schemas([SPEC], mode)
    rs = jsonschema_rs.validator_for(json_schema(mode))
    fast = fastjsonschema.compile(json_schema(mode))
    return {
        f"eventschema engine ({mode}) validate()": functools.partial(engine.validate, EVENT),
        f"jsonschema-rs ({mode}-equivalent) is_valid": rs.is_valid,
        f"jsonschema-rs ({mode}-equivalent) iter_errors": lambda event: list(rs.iter_errors(event)),
        f"fastjsonschema ({mode}-equivalent)": fastjsonschema_verdict(fast),
    }


def check_agreement(runs: dict[str, Callable[[object], object]]) -> None:
    """Refuse to time contenders that do not agree on which event is valid."""
    for name, run in runs.items():
        for event, valid in ((VALID_EVENT, True), (INVALID_EVENT, False)):
            verdict = run(event)
            if (verdict if isinstance(verdict, bool) else not verdict) is not valid:
                raise SystemExit(f"{name} calls the {'valid' if valid else 'invalid'} event the opposite")


def time_loop(run: Callable[[object], object], event: object, calls: int) -> float:
    """Seconds taken by `calls` back-to-back validations of `event`."""
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
    args = parser.parse_args()

    targets = {"posthog": (0.7, 3.0), "strict": (0.5, None)}
    for mode in ("posthog", "strict"):
        runs = contenders(mode)
        check_agreement(runs)
        for label, event in (("valid event", VALID_EVENT), ("invalid event", INVALID_EVENT)):
            rates = measure(runs, event, args.rounds, args.seconds)
            print(table(f"{mode} mode, {label}", rates), end="\n\n")
            if event is VALID_EVENT:
                print(target_line(mode, rates, *targets[mode]), end="\n\n")


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
