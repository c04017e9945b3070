"""Read stored `validation_rules` (JSON objects) into immutable `Rules`.

The API validates and normalises rules before storing them (see the rules contract in the README), so this
only re-checks what the engine relies on, cheaply, and raises ValueError for anything else, as for an
unknown property type: a schema the engine cannot read must not be half-enforced.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Final

from eventschema.validation.model import FORMATS, PROPERTY_TYPES, ItemSpec, PropertySpec, Rules, Scalar
from eventschema.validation.patterns import compile_pattern

_ENUM_KEYS: Final = frozenset({"enum", "not"})
_RANGE_KEYS: Final = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
ALLOWED_KEYS: Final[Mapping[str, frozenset[str]]] = {
    "String": _ENUM_KEYS | {"pattern", "minLength", "maxLength", "format"},
    "Numeric": _ENUM_KEYS | set(_RANGE_KEYS),
    "Boolean": _ENUM_KEYS,
    "DateTime": _ENUM_KEYS,
    "Any": _ENUM_KEYS,
    "Object": frozenset({"properties", "additionalProperties"}),
    "Array": frozenset({"items", "minItems", "maxItems"}),
}
MAX_DEPTH: Final = 5


def parse_rules(rules: Mapping[str, Any] | None, property_type: str, where: str, depth: int = 0) -> Rules | None:
    """`rules` as stored for a property of `property_type` (None or {} for none); `where` names it in errors."""
    if not rules:
        return None
    if not isinstance(rules, Mapping):
        raise ValueError(f"{where}: validation_rules must be an object")
    unknown = set(rules) - ALLOWED_KEYS.get(property_type, frozenset())
    if unknown:
        raise ValueError(f"{where}: rule {sorted(unknown)[0]!r} does not apply to {property_type} properties")
    ranges = {key: _number(rules.get(key), f"{where}: {key}") for key in _RANGE_KEYS}
    pattern = rules.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ValueError(f"{where}: pattern must be a string")
        compile_pattern(pattern)
    fmt = rules.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"{where}: unknown format {fmt!r}")
    not_rule = rules.get("not")
    if not_rule is not None and (not isinstance(not_rule, Mapping) or set(not_rule) != {"enum"}):
        raise ValueError(f"{where}: not must be an object with only an enum")
    additional = rules.get("additionalProperties", True)
    if not isinstance(additional, bool):
        raise ValueError(f"{where}: additionalProperties must be a boolean")
    nested = rules.get("properties")
    items = rules.get("items")
    if (nested is not None or items is not None) and depth >= MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    return Rules(
        canonical=json.dumps(rules, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        enum=_members(rules.get("enum"), f"{where}: enum"),
        not_enum=None if not_rule is None else _members(not_rule["enum"], f"{where}: not.enum"),
        minimum=ranges["minimum"],
        maximum=ranges["maximum"],
        exclusive_minimum=ranges["exclusiveMinimum"],
        exclusive_maximum=ranges["exclusiveMaximum"],
        pattern=pattern,
        min_length=_count(rules.get("minLength"), f"{where}: minLength"),
        max_length=_count(rules.get("maxLength"), f"{where}: maxLength"),
        format=fmt,
        properties=None if nested is None else _declarations(nested, f"{where}: properties", depth + 1),
        additional_properties=additional,
        items=None if items is None else _item(items, f"{where}: items", depth + 1),
        min_items=_count(rules.get("minItems"), f"{where}: minItems"),
        max_items=_count(rules.get("maxItems"), f"{where}: maxItems"),
    )


def _type(value: object, where: str) -> str:
    if value not in PROPERTY_TYPES:
        raise ValueError(f"{where}: unknown type {value!r}")
    return str(value)


def _declarations(value: object, where: str, depth: int) -> tuple[PropertySpec, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list")
    found = []
    for i, decl in enumerate(value):
        if not isinstance(decl, Mapping) or not isinstance(decl.get("name"), str):
            raise ValueError(f"{where}[{i}] must be an object with a name")
        property_type = _type(decl.get("property_type"), f"{where}[{i}]")
        rules = parse_rules(decl.get("validation_rules"), property_type, f"{where}[{i}]", depth)
        found.append(PropertySpec(decl["name"], property_type, bool(decl.get("is_required", False)), rules))
    if len({decl.name for decl in found}) != len(found):
        raise ValueError(f"{where}: names must be unique")
    return tuple(found)


def _item(value: object, where: str, depth: int) -> ItemSpec:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be an object")
    property_type = _type(value.get("property_type"), where)
    return ItemSpec(property_type, parse_rules(value.get("validation_rules"), property_type, where, depth))


def _members(value: object, where: str) -> tuple[Scalar, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(m, str | int | float) for m in value):
        raise ValueError(f"{where} must be a list of strings, numbers and booleans")
    return tuple(value)


def _number(value: object, where: str) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number")
    return value


def _count(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{where} must be an integer >= 0")
    return value
