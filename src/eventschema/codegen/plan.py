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

Validation rules (stored normalised, see the rules contract) give each declared type a `Shape`. A value passes
when ANY declaration of its name accepts it, so the shapes of several declarations of one type merge into one
that accepts what any of them accepts:
- `enum`: the values of all of them (first-seen order) when every one has an enum, otherwise no enum;
- nested `properties`: merged by name with these same rules, when every one declares properties; a nested
  name missing from one of them becomes optional; `additionalProperties` is false only if false in all;
- `items`: the item declarations merged like a property's, when every one declares items;
- any other rule (range, pattern, lengths, format, `not`, item counts) is kept only when every declaration of
  the type has it with the same value: generated code documents these, and a note never claims a constraint
  that one of the declarations does not impose.

Everything is sorted by name (code-point order), so output never depends on database row order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

PROPERTY_TYPES: Final = ("Any", "Array", "Boolean", "DateTime", "Numeric", "Object", "String")
SYSTEM_EVENTS: Final = frozenset({"$pageview", "$pageleave", "$screen"})
# Rules generated types cannot express, in the contract's order: generators show them as notes or keywords.
NOTE_KEYS: Final = (
    "not",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "pattern",
    "minLength",
    "maxLength",
    "format",
    "minItems",
    "maxItems",
)
NOTE_ORDER: Final = {key: index for index, key in enumerate(NOTE_KEYS)}

Scalar = str | int | float | bool
Rules = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Declaration:
    """One property as one property group declares it, with its stored (normalised) validation rules."""

    name: str
    property_type: str
    is_required: bool
    is_optional_in_types: bool
    validation_rules: Rules | None = field(default=None, hash=False)

    @property
    def optional_in_types(self) -> bool:
        return not self.is_required or self.is_optional_in_types


@dataclass(frozen=True, slots=True)
class Group:
    """A property group with its declarations, sorted by property name."""

    name: str
    properties: tuple[Declaration, ...]


@dataclass(frozen=True, slots=True)
class Shape:
    """What values of one declared type a property accepts, beyond the type itself.

    `enum`: the only values allowed (None: any of the type); `properties`: an Object's declared nested
    properties (None: none declared); `items`: an Array's item shapes (None: items of any type); `notes`:
    (rule, value) pairs that types cannot express, in the contract's order.
    """

    property_type: str
    enum: tuple[Scalar, ...] | None = None
    properties: tuple[Property, ...] | None = None
    additional_properties: bool = True
    items: tuple[Shape, ...] | None = None
    notes: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Property:
    """A property name of one event after merging every declaration of it among the event's groups.

    `shapes` has one entry per type of `types`, in the same order, or is empty when no declaration of the name
    has rules (the common case, kept cheap); `shape()` answers either way.
    """

    name: str
    types: tuple[str, ...]
    required: bool
    optional_in_types: bool
    shapes: tuple[Shape, ...] = ()

    def shape(self, property_type: str) -> Shape:
        return self.shapes[self.types.index(property_type)] if self.shapes else Shape(property_type)


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


def nested_declaration(stored: Mapping[str, Any]) -> Declaration:
    """A declaration from the `properties` rule (stored with every field filled in)."""
    return Declaration(
        stored["name"],
        stored["property_type"],
        stored["is_required"],
        stored["is_optional_in_types"],
        stored["validation_rules"],
    )


def _enum_key(value: Scalar) -> tuple[str, Scalar]:
    """Tells `True` from `1` (equal in Python, different in JSON) while `1 == 1.0` stays one value."""
    return ("bool" if isinstance(value, bool) else "str" if isinstance(value, str) else "number", value)


def _merge_enums(enums: Sequence[Sequence[Scalar] | None]) -> tuple[Scalar, ...] | None:
    if len(enums) == 1:  # one declaration: its enum is already free of duplicates
        return None if enums[0] is None else tuple(enums[0])
    if any(enum is None for enum in enums):
        return None
    seen: dict[tuple[str, Scalar], Scalar] = {}
    for enum in enums:
        for value in enum or ():
            seen.setdefault(_enum_key(value), value)
    return tuple(seen.values())


def _common_notes(rules: Sequence[Rules]) -> tuple[tuple[str, Any], ...]:
    first = rules[0]
    keys = NOTE_ORDER.keys() & first.keys()
    if not keys:
        return ()
    if len(rules) > 1:
        keys = {key for key in keys if all(r.get(key, None) == first[key] for r in rules)}
    common = sorted(keys, key=NOTE_ORDER.__getitem__)
    return tuple((key, first[key]) for key in common)


def _merge_alternatives(alternatives: Sequence[Sequence[Declaration]]) -> tuple[Property, ...]:
    """Nested properties of several declarations of one Object: any of them may accept a value, so a name not
    declared by every one of them is optional."""
    if len(alternatives) == 1:
        return merge(alternatives[0])
    merged = merge(d for declarations in alternatives for d in declarations)
    everywhere = set.intersection(*({d.name for d in declarations} for declarations in alternatives))
    return tuple(p if p.name in everywhere else Property(p.name, p.types, False, True, p.shapes) for p in merged)


def _item(stored: Mapping[str, Any]) -> Declaration:
    return Declaration("", stored["property_type"], True, False, stored["validation_rules"])


def _shape(property_type: str, rules: Sequence[Rules]) -> Shape:
    """The shape accepting what any of `rules` (the rules of declarations of `property_type`) accepts."""
    if not any(rules):
        return Shape(property_type)
    enum = _merge_enums([r.get("enum") for r in rules])
    properties = None
    if property_type == "Object" and all("properties" in r for r in rules):
        properties = _merge_alternatives([[nested_declaration(d) for d in r["properties"]] for r in rules])
    items = None
    if property_type == "Array" and all("items" in r for r in rules):
        item = merge(_item(r["items"]) for r in rules)[0]
        items = tuple(item.shape(t) for t in item.types)
    additional = any(r.get("additionalProperties", True) for r in rules)
    return Shape(property_type, enum, properties, additional, items, _common_notes(rules))


def merge(declarations: Iterable[Declaration]) -> tuple[Property, ...]:
    """One Property per name, in name order, under the rules in the module docstring."""
    by_name: dict[str, list[Declaration]] = {}
    for d in declarations:
        if d.property_type not in PROPERTY_TYPES:
            raise ValueError(f"property {d.name!r} has unknown type {d.property_type!r}")
        found = by_name.get(d.name)
        if found is None:
            by_name[d.name] = [d]
        else:
            found.append(d)
    properties = []
    shapes: tuple[Shape, ...]
    for name, found in sorted(by_name.items()):
        if len(found) == 1:  # the common case, kept cheap
            d = found[0]
            shapes = (_shape(d.property_type, [d.validation_rules]),) if d.validation_rules else ()
            properties.append(Property(name, (d.property_type,), d.is_required, d.optional_in_types, shapes))
            continue
        types = tuple(sorted({d.property_type for d in found}))
        required = any(d.is_required for d in found)
        optional = any(d.optional_in_types for d in found)
        shapes = ()
        if any(d.validation_rules for d in found):
            rules = {t: [d.validation_rules or {} for d in found if d.property_type == t] for t in types}
            shapes = tuple(_shape(t, rules[t]) for t in types)
        properties.append(Property(name, types, required, optional, shapes))
    return tuple(properties)


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
