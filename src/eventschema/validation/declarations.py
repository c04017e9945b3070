"""The complete, authoritative check of a declaration with rules: type, rules, nested levels, every violation.

Semantics (the rules contract, engine part):

- A value is first type-checked with PostHog's coercions (`checks.CHECKS`); a value failing its type is a
  `type_mismatch` and nothing else. Rules are then checked on the *coerced* value: a `Numeric` value is its
  number (`"5"` is 5, so against `minimum: 10` it is `out_of_range`), a `Boolean` value its boolean (`"true"`
  is true), a `String` value its text (a string as sent, anything else its compact JSON text, so `5` reads
  `"5"` and `true` reads `"true"`). `DateTime` and `Any` values are compared as sent.
- `enum` / `not.enum` members are read with the same coercion, then compared: on `String` as text, on
  `Numeric` as numbers (`5`, `5.0` and `"5"` are one member; members that are not numbers never match), on
  `Boolean` as booleans; on `DateTime` and `Any` by JSON equality (a number never equals a string or a
  boolean; objects and arrays match no member).
- Each failing rule is one violation with its own reason; the bounds together give at most one
  `out_of_range`. Lengths count code points. `pattern` is searched (`patterns`), `format` is `formats`.
- `Object` with `properties`: nested declarations are checked in name order when the value is present, with
  paths `parent.child`; a missing or null required one is `missing_required`. An array passes an `Object`
  property as in PostHog, and then has no keys. `additionalProperties: false` flags undeclared keys of the
  object as `unexpected_property` in strict mode only (posthog mode never flags undeclared keys). Nested
  keys starting with "$" get no exemption: they are not SDK properties.
- `Array` with `items`: every element is checked, paths `parent[i]`; a null element is a `type_mismatch`
  (there is no "missing" inside a list).
- Several declarations of one name (`NameCheck`): the value passes when any declaration accepts it. When none
  does, the violations reported are those of the first declaration whose type accepts the value (declarations
  ordered by type name, then by their rules' canonical JSON, no rules first), or one `type_mismatch` naming
  every declared type when no type accepts it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from eventschema.validation.checks import CHECKS, Check, stringify
from eventschema.validation.formats import FORMAT_CHECKS
from eventschema.validation.model import (
    IN_EXCLUDED_ENUM,
    INVALID_FORMAT,
    MISSING_REQUIRED,
    NOT_IN_ENUM,
    OUT_OF_RANGE,
    PATTERN_MISMATCH,
    TOO_FEW_ITEMS,
    TOO_LONG,
    TOO_MANY_ITEMS,
    TOO_SHORT,
    TYPE_MISMATCH,
    UNEXPECTED_PROPERTY,
    Reason,
    Rules,
    Scalar,
    Violation,
)
from eventschema.validation.patterns import compile_pattern

Coerce = Callable[[object], object]
Predicate = Callable[[object], bool]

_EMPTY: Final[Mapping[str, object]] = {}


def as_text(value: object) -> str:
    """A `String` value as PostHog reads it: strings as they are, anything else as its JSON text."""
    return value if isinstance(value, str) else (stringify(value) or "")


def as_number(value: object) -> object:
    """A value that passed the `Numeric` check, as its number."""
    return float(value.strip()) if isinstance(value, str) else value


def as_boolean(value: object) -> object:
    """A value that passed the `Boolean` check, as its boolean."""
    return value == "true" if isinstance(value, str) else value


def json_key(value: object) -> tuple[str, object] | None:
    """A key equal for JSON-equal scalars (1 and 1.0), different across kinds (1, true, "1"); None otherwise."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", str(value))
    return None


def _identity(value: object) -> object:
    return value


COERCIONS: Final[Mapping[str, Coerce]] = {"String": as_text, "Numeric": as_number, "Boolean": as_boolean}
"""How a value of each type is read before its rules are checked; other types are read as sent."""


def enum_member(property_type: str, member: Scalar) -> object:
    """An enum member as compared with values of `property_type` (see `enum_value`); None never matches."""
    if property_type == "String":
        return as_text(member)
    if property_type == "Numeric":
        if isinstance(member, bool):
            return None
        if isinstance(member, str):
            return as_number(member) if CHECKS["Numeric"](member) else None
        return member
    if property_type == "Boolean":
        return as_boolean(member) if CHECKS["Boolean"](member) else None
    return json_key(member)


def enum_value(property_type: str, coerced: object) -> object:
    """A coerced value as compared with the members of `enum_member`."""
    return coerced if property_type in ("String", "Numeric", "Boolean") else json_key(coerced)


def member_set(property_type: str, members: tuple[Scalar, ...]) -> frozenset[object]:
    return frozenset(m for m in (enum_member(property_type, m) for m in members) if m is not None)


def _range(rules: Rules) -> Predicate | None:
    low, high, above, below = rules.minimum, rules.maximum, rules.exclusive_minimum, rules.exclusive_maximum
    if low is None and high is None and above is None and below is None:
        return None

    def within(number: object) -> bool:
        n: float = number  # type: ignore[assignment]  # a Numeric value, coerced
        return (
            (low is None or n >= low)
            and (high is None or n <= high)
            and (above is None or n > above)
            and (below is None or n < below)
        )

    return within


def _scalar_checks(property_type: str, rules: Rules) -> tuple[tuple[Reason, Predicate], ...]:
    """(reason, predicate true when the coerced value satisfies the rule), in the contract's key order."""
    checks: list[tuple[Reason, Predicate]] = []
    if rules.enum is not None:
        allowed = member_set(property_type, rules.enum)
        checks.append((NOT_IN_ENUM, lambda c: enum_value(property_type, c) in allowed))
    if rules.not_enum is not None:
        excluded = member_set(property_type, rules.not_enum)
        checks.append((IN_EXCLUDED_ENUM, lambda c: enum_value(property_type, c) not in excluded))
    within = _range(rules)
    if within is not None:
        checks.append((OUT_OF_RANGE, within))
    if rules.pattern is not None:
        search = compile_pattern(rules.pattern)
        checks.append((PATTERN_MISMATCH, lambda c: search(c)))  # type: ignore[arg-type]
    if rules.min_length is not None:
        shortest = rules.min_length
        checks.append((TOO_SHORT, lambda c: len(c) >= shortest))  # type: ignore[arg-type]
    if rules.max_length is not None:
        longest = rules.max_length
        checks.append((TOO_LONG, lambda c: len(c) <= longest))  # type: ignore[arg-type]
    if rules.format is not None:
        matches = FORMAT_CHECKS[rules.format]
        checks.append((INVALID_FORMAT, lambda c: matches(c) is not None))  # type: ignore[arg-type]
    if rules.min_items is not None:
        fewest = rules.min_items
        checks.append((TOO_FEW_ITEMS, lambda c: len(c) >= fewest))  # type: ignore[arg-type]
    if rules.max_items is not None:
        most = rules.max_items
        checks.append((TOO_MANY_ITEMS, lambda c: len(c) <= most))  # type: ignore[arg-type]
    return tuple(checks)


class Declaration:
    """One declaration (type and rules), compiled for one mode."""

    __slots__ = ("closed", "coerce", "items", "nested", "property_type", "scalar_checks", "type_check", "types")

    def __init__(self, property_type: str, rules: Rules | None, strict: bool) -> None:
        self.property_type = property_type
        self.types = (property_type,)
        self.type_check: Check = CHECKS[property_type]
        self.coerce: Coerce = COERCIONS.get(property_type, _identity)
        self.scalar_checks = () if rules is None else _scalar_checks(property_type, rules)
        self.nested: tuple[tuple[str, bool, Declaration], ...] | None = None
        self.closed: frozenset[str] | None = None
        self.items: Declaration | None = None
        if rules is not None and rules.properties is not None:
            specs = sorted(rules.properties, key=lambda spec: spec.name)
            self.nested = tuple((s.name, s.is_required, Declaration(s.property_type, s.rules, strict)) for s in specs)
            if strict and not rules.additional_properties:
                self.closed = frozenset(s.name for s in specs)
        if rules is not None and rules.items is not None:
            self.items = Declaration(rules.items.property_type, rules.items.rules, strict)

    def check(self, value: object, path: str, types: tuple[str, ...], out: list[Violation]) -> None:
        """Append the violations of `value` (not None) at `path`; `types` is what violations name as expected."""
        if not self.type_check(value):
            out.append(Violation(path, TYPE_MISMATCH, types, stringify(value)))
            return
        if self.scalar_checks:
            coerced = self.coerce(value)
            for reason, satisfied in self.scalar_checks:
                if not satisfied(coerced):
                    out.append(Violation(path, reason, types, stringify(value)))
        if self.nested is not None:
            self._check_nested(value if isinstance(value, dict) else _EMPTY, path, out)
        if self.items is not None and isinstance(value, list):
            item = self.items
            for i, element in enumerate(value):
                if element is None:
                    out.append(Violation(f"{path}[{i}]", TYPE_MISMATCH, item.types, None))
                else:
                    item.check(element, f"{path}[{i}]", item.types, out)

    def _check_nested(self, obj: Mapping[str, object], path: str, out: list[Violation]) -> None:
        for name, required, decl in self.nested or ():
            child = obj.get(name)
            if child is None:
                if required:
                    out.append(Violation(f"{path}.{name}", MISSING_REQUIRED, decl.types, None))
            else:
                decl.check(child, f"{path}.{name}", decl.types, out)
        if self.closed is not None:
            closed = self.closed
            out.extend(
                Violation(f"{path}.{key}", UNEXPECTED_PROPERTY, (), stringify(child))
                for key, child in obj.items()
                if key not in closed
            )

    def accepts(self, value: object) -> bool:
        found: list[Violation] = []
        self.check(value, "", self.types, found)
        return not found


class NameCheck:
    """Every declaration of one top-level name; see the module docstring for how they combine."""

    __slots__ = ("declarations", "types")

    def __init__(self, declarations: tuple[Declaration, ...], types: tuple[str, ...]) -> None:
        self.declarations = declarations
        self.types = types

    def accepts(self, value: object) -> bool:
        return any(decl.accepts(value) for decl in self.declarations)

    def check(self, value: object, path: str, out: list[Violation]) -> None:
        first: list[Violation] | None = None
        for decl in self.declarations:
            if not decl.type_check(value):
                continue
            found: list[Violation] = []
            decl.check(value, path, self.types, found)
            if not found:
                return
            if first is None:
                first = found
        out.extend(first if first is not None else [Violation(path, TYPE_MISMATCH, self.types, stringify(value))])
