"""The tracking plan as code generators see it: immutable, sorted, and already reconciled.

Generators must not disagree about which events exist or how a property declared by several groups of one
event is typed, so both rules live here, once:

- included events: every event definition with at least one linked property group, plus every other event
  definition whose name does not start with "$" (typed as allowing any properties). Of PostHog's own events,
  those that apps capture by hand ($pageview, $pageleave, $screen) are always included, as PostHog's
  generators do; the others ($autocapture, ...) only when someone attached a group to them.
- a property name declared by several groups of one event gets the union of the declared types; it is optional
  in generated types if any declaration is (`not is_required or is_optional_in_types`), and required at
  ingestion if any declaration requires it.

Everything is sorted by name (code-point order), so output never depends on database row order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

PROPERTY_TYPES: Final = ("Boolean", "DateTime", "Numeric", "Object", "String")
SYSTEM_EVENTS: Final = frozenset({"$pageview", "$pageleave", "$screen"})


@dataclass(frozen=True, slots=True)
class Declaration:
    """One property as one property group declares it."""

    name: str
    property_type: str
    is_required: bool
    is_optional_in_types: bool

    @property
    def optional_in_types(self) -> bool:
        return not self.is_required or self.is_optional_in_types


@dataclass(frozen=True, slots=True)
class Group:
    """A property group with its declarations, sorted by property name."""

    name: str
    properties: tuple[Declaration, ...]


@dataclass(frozen=True, slots=True)
class Property:
    """A property name of one event after merging every declaration of it among the event's groups."""

    name: str
    types: tuple[str, ...]
    required: bool
    optional_in_types: bool


@dataclass(frozen=True, slots=True)
class Event:
    """An included event: its linked group names and merged properties; `typed` is false without groups."""

    name: str
    groups: tuple[str, ...]
    properties: tuple[Property, ...]
    description: str | None = None

    @property
    def typed(self) -> bool:
        return bool(self.groups)


@dataclass(frozen=True, slots=True)
class TrackingPlan:
    """Every included event and every property group of one project, both sorted by name."""

    events: tuple[Event, ...]
    groups: tuple[Group, ...]


def make_group(name: str, properties: Iterable[Declaration]) -> Group:
    return Group(name, tuple(sorted(properties, key=lambda p: p.name)))


def merge(declarations: Iterable[Declaration]) -> tuple[Property, ...]:
    """One Property per name, in name order, under the rules in the module docstring."""
    merged: dict[str, tuple[set[str], bool, bool]] = {}
    for d in declarations:
        if d.property_type not in PROPERTY_TYPES:
            raise ValueError(f"property {d.name!r} has unknown type {d.property_type!r}")
        types, required, optional = merged.get(d.name) or (set(), False, False)
        types.add(d.property_type)
        merged[d.name] = (types, required or d.is_required, optional or d.optional_in_types)
    return tuple(
        Property(name, tuple(sorted(types)), required, optional)
        for name, (types, required, optional) in sorted(merged.items())
    )


def is_included(name: str, group_names: Iterable[str]) -> bool:
    return bool(tuple(group_names)) or not name.startswith("$") or name in SYSTEM_EVENTS


def build_plan(
    event_names: Iterable[str],
    groups: Iterable[Group],
    links: Mapping[str, Iterable[str]],
    descriptions: Mapping[str, str | None] | None = None,
) -> TrackingPlan:
    """The plan of one project: its event names, its groups, the group names linked to each event name, and
    optionally each event's description (only the JSON list shows it)."""
    descriptions = descriptions or {}
    groups_by_name = {group.name: group for group in groups}
    events = []
    for name in sorted(set(event_names)):
        linked = tuple(sorted(set(links.get(name, ()))))
        if not is_included(name, linked):
            continue
        declarations = (d for group_name in linked for d in groups_by_name[group_name].properties)
        events.append(Event(name, linked, merge(declarations), descriptions.get(name)))
    return TrackingPlan(tuple(events), tuple(group for _, group in sorted(groups_by_name.items())))
