"""Reconcile an event's declared properties into one rule per property name, for one mode.

An event's properties come from several property groups, so a name can be declared more than once. The rules
(spec §6 for posthog mode, extended for strict mode):

- a name is required if any declaration requires it;
- every name present with a non-null value is type-checked, required or not, and passes when it coerces to
  any of its declared types (PostHog's ingestion does both since it checks optional properties too);
- a `String` or `Any` declaration without rules accepts everything, so then nothing is checked at all;
- when a declaration of the name has `validation_rules`, each declaration (type and rules) is kept and the
  value passes when any of them accepts it (`declarations`);
- strict mode differs only in also flagging undeclared keys (and nested ones under
  `additionalProperties: false`), so it is a superset of posthog mode.

Rules are ordered by property name: violations come out in that order whatever order the groups were linked
in, which keeps reports stable across schema versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventschema.validation.model import PROPERTY_TYPES, EventSpec, Mode, Rules

Declared = tuple[str, Rules | None]

_ACCEPTS_EVERYTHING = frozenset({"String", "Any"})


@dataclass(frozen=True, slots=True)
class PropertyRule:
    """What is checked for one property name: presence if `required`, type if `checked_types` is not empty,
    and, when `declarations` is not empty, each declaration's type and rules instead of `checked_types`."""

    name: str
    declared_types: tuple[str, ...]
    required: bool
    checked_types: tuple[str, ...]
    declarations: tuple[Declared, ...] = ()


@dataclass(frozen=True, slots=True)
class EventPlan:
    """The rules that can fail for one event; `declared` is set when undeclared keys are to be flagged."""

    rules: tuple[PropertyRule, ...]
    declared: frozenset[str] | None
    strict: bool = False


def _order(declared: Declared) -> tuple[str, str]:
    property_type, rules = declared
    return property_type, "" if rules is None else rules.canonical


def plan_event(event: EventSpec, mode: Mode) -> EventPlan | None:
    """Build the plan of `event`, or None when nothing about its events can ever fail."""
    declared_by_name: dict[str, dict[Declared, None]] = {}
    required_names: set[str] = set()
    for prop in event.properties:
        if prop.property_type not in PROPERTY_TYPES:
            raise ValueError(f"event {event.name!r}: property {prop.name!r} has unknown type {prop.property_type!r}")
        declared_by_name.setdefault(prop.name, {})[(prop.property_type, prop.rules)] = None
        if prop.is_required:
            required_names.add(prop.name)

    rules = []
    for name in sorted(declared_by_name):
        declarations = tuple(sorted(declared_by_name[name], key=_order))
        declared_types = tuple(sorted({property_type for property_type, _ in declarations}))
        required = name in required_names
        checked_types = declared_types
        if any(t in _ACCEPTS_EVERYTHING and r is None for t, r in declarations):
            checked_types, declarations = (), ()
        elif all(r is None for _, r in declarations):
            declarations = ()
        if required or checked_types:
            rules.append(PropertyRule(name, declared_types, required, checked_types, declarations))

    flag_unexpected = mode == "strict" and event.flag_unexpected and bool(declared_by_name)
    if not rules and not flag_unexpected:
        return None
    return EventPlan(tuple(rules), frozenset(declared_by_name) if flag_unexpected else None, mode == "strict")
