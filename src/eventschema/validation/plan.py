"""Reconcile an event's declared properties into one rule per property name, for one mode.

An event's properties come from several property groups, so a name can be declared more than once. The rules
(spec §6 for posthog mode, extended for strict mode):

- a name is required if any declaration requires it;
- every name present with a non-null value is type-checked, required or not, and passes when it coerces to
  any of its declared types (PostHog's ingestion does both since it checks optional properties too);
- a `String` among the accepted types accepts everything, so no type check is emitted at all;
- strict mode differs only in also flagging undeclared keys, so it is a superset of posthog mode.

Rules are ordered by property name: violations come out in that order whatever order the groups were linked
in, which keeps reports stable across schema versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventschema.validation.model import PROPERTY_TYPES, EventSpec, Mode


@dataclass(frozen=True, slots=True)
class PropertyRule:
    """What is checked for one property name: presence if `required`, type if `checked_types` is not empty."""

    name: str
    declared_types: tuple[str, ...]
    required: bool
    checked_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventPlan:
    """The rules that can fail for one event; `declared` is set when undeclared keys are to be flagged."""

    rules: tuple[PropertyRule, ...]
    declared: frozenset[str] | None


def plan_event(event: EventSpec, mode: Mode) -> EventPlan | None:
    """Build the plan of `event`, or None when nothing about its events can ever fail."""
    types_by_name: dict[str, set[str]] = {}
    required_names: set[str] = set()
    for prop in event.properties:
        if prop.property_type not in PROPERTY_TYPES:
            raise ValueError(f"event {event.name!r}: property {prop.name!r} has unknown type {prop.property_type!r}")
        types_by_name.setdefault(prop.name, set()).add(prop.property_type)
        if prop.is_required:
            required_names.add(prop.name)

    rules = []
    for name in sorted(types_by_name):
        declared_types = tuple(sorted(types_by_name[name]))
        required = name in required_names
        checked_types = () if "String" in declared_types else declared_types
        if required or checked_types:
            rules.append(PropertyRule(name, declared_types, required, checked_types))

    flag_unexpected = mode == "strict" and event.flag_unexpected and bool(types_by_name)
    if not rules and not flag_unexpected:
        return None
    return EventPlan(tuple(rules), frozenset(types_by_name) if flag_unexpected else None)
