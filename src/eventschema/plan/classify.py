"""How a change to a declaration affects events already being sent: tightening, loosening or neutral.

tightening: an event valid before may now be marked or quarantined (a property or rule added, a type or rule
narrowed, a property made required); loosening: every event valid before stays valid, but what is declared (and
so generated code) changes; neutral: descriptions and `is_optional_in_types`. Pure: works on plain dicts, the
declarations of a plan document and of nested `validation_rules` (RULES_CONTRACT: keys in JSON Schema names).
"""

from dataclasses import dataclass
from typing import Any

import orjson

from eventschema.property_groups.rules import RULE_KEYS

TIGHTENING, LOOSENING, NEUTRAL = "tightening", "loosening", "neutral"
# Rules that bound a value from below / above: raising a lower bound or lowering an upper one tightens.
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
RULE_ORDER = tuple(RULE_KEYS)  # the contract's order, as the API stores rules
MISSING: Any = object()


@dataclass(frozen=True)
class Finding:
    """One classified difference; `path` is dotted from the declaration compared (empty: the whole of it)."""

    path: str
    classification: str
    before: Any
    after: Any


def same(before: Any, after: Any) -> bool:
    """Equal as JSON: Python's == takes 1, 1.0 and true for one value."""
    if before is MISSING or after is MISSING:
        return before is after
    return orjson.dumps(before, option=orjson.OPT_SORT_KEYS) == orjson.dumps(after, option=orjson.OPT_SORT_KEYS)


def _values(items: Any) -> set[bytes]:
    # Canonical JSON: 1 and true are different enum members, though equal in Python.
    return {orjson.dumps(item, option=orjson.OPT_SORT_KEYS) for item in items or ()}


def _set_change(before: Any, after: Any) -> str:
    """For a set of allowed values: fewer allowed tightens, more loosens, a swap does both (tightening)."""
    old, new = _values(before), _values(after)
    if old == new:
        return NEUTRAL
    return LOOSENING if new > old else TIGHTENING


def rule(key: str, before: Any, after: Any) -> str:
    """One rule key changed (MISSING when absent on a side)."""
    if key == "additionalProperties":
        old = True if before is MISSING else before
        new = True if after is MISSING else after
        return NEUTRAL if old == new else (TIGHTENING if new is False else LOOSENING)
    if before is MISSING:
        return TIGHTENING
    if after is MISSING:
        return LOOSENING
    if key == "enum":
        return _set_change(before, after)
    if key == "not":
        # More values excluded is fewer allowed.
        return _set_change(after.get("enum"), before.get("enum"))
    if key in LOWER_BOUNDS:
        return TIGHTENING if after > before else LOOSENING
    if key in UPPER_BOUNDS:
        return TIGHTENING if after < before else LOOSENING
    return TIGHTENING  # pattern, format, or a key this version does not know: assume the worst


def rules(before: dict[str, Any] | None, after: dict[str, Any] | None, path: str = "") -> list[Finding]:
    old, new = before or {}, after or {}
    keys = [key for key in RULE_ORDER if key in old or key in new]
    keys += sorted(key for key in {*old, *new} if key not in RULE_ORDER)
    findings: list[Finding] = []
    for key in keys:
        old_value, new_value = old.get(key, MISSING), new.get(key, MISSING)
        if same(old_value, new_value):
            continue
        where = f"{path}.{key}" if path else key
        if key == "properties":
            findings += _nested(_by_name(old_value), _by_name(new_value), where)
        elif key == "items" and old_value is not MISSING and new_value is not MISSING:
            findings += declaration(old_value, new_value, where)
        else:
            found = rule(key, old_value, new_value)
            if found != NEUTRAL:
                findings.append(Finding(where, found, _shown(old_value), _shown(new_value)))
    return findings


def _shown(value: Any) -> Any:
    return None if value is MISSING else value


def _by_name(declarations: Any) -> dict[str, dict[str, Any]]:
    return {} if declarations is MISSING else {item["name"]: item for item in declarations}


def _nested(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], path: str) -> list[Finding]:
    findings: list[Finding] = []
    for name in sorted({*old, *new}):
        where = f"{path}.{name}"
        if name not in old:
            findings.append(Finding(where, added(new[name]), None, new[name]))
        elif name not in new:
            findings.append(Finding(where, LOOSENING, old[name], None))
        else:
            findings += declaration(old[name], new[name], where)
    return findings


def added(declaration: dict[str, Any]) -> str:
    """A new property: events already sending that name with another type (or breaking its rules) would now
    be flagged, and a required one flags every event without it. Only an optional `Any` without rules
    accepts everything that was accepted before."""
    if declaration.get("is_required") or declaration.get("validation_rules"):
        return TIGHTENING
    return LOOSENING if declaration.get("property_type") == "Any" else TIGHTENING


def property_type(before: str, after: str) -> str:
    if before == after:
        return NEUTRAL
    # `Any` accepts every non-null value: the only type wider than another.
    return LOOSENING if after == "Any" else TIGHTENING


def declaration(before: dict[str, Any], after: dict[str, Any], path: str = "") -> list[Finding]:
    """Two declarations of one property (top-level, nested or an array's items)."""
    findings: list[Finding] = []

    def at(field: str) -> str:
        return f"{path}.{field}" if path else field

    if before.get("property_type") != after.get("property_type"):
        found = property_type(before["property_type"], after["property_type"])
        findings.append(Finding(at("property_type"), found, before["property_type"], after["property_type"]))
    if bool(before.get("is_required")) != bool(after.get("is_required")):
        found = TIGHTENING if after.get("is_required") else LOOSENING
        findings.append(
            Finding(at("is_required"), found, bool(before.get("is_required")), bool(after.get("is_required")))
        )
    for field in ("is_optional_in_types", "description"):
        if field in before or field in after:
            old, new = before.get(field), after.get(field)
            if not same(old, new):
                findings.append(Finding(at(field), NEUTRAL, old, new))
    findings += rules(before.get("validation_rules"), after.get("validation_rules"), at("validation_rules"))
    return findings


def overall(classifications: list[str]) -> str:
    if TIGHTENING in classifications:
        return TIGHTENING
    return LOOSENING if LOOSENING in classifications else NEUTRAL
