"""JSON Schema 2020-12: one `$defs` entry per property group, one per event referring to its groups.

The document validates a captured event, `{"event": name, "properties": {...}}`: each known event name selects
its event schema; unknown events pass, as they do at ingestion. It follows the server's validation engine in
posthog mode (strict mode only adds flagging undeclared keys): a required property must be present and not
null, and every present, non-null property must have one of its declared types, with the engine's lenient type rules (a
Numeric may be a numeric string, a Boolean "true"/"false", a DateTime a number or a date-time string in one of
the engine's grammars, an Object an object or an array; String accepts anything). Two limits of JSON Schema
remain: a pattern cannot reject numeric strings that overflow a double ("1e999"), and regex dialects differ
slightly on exotic whitespace. `is_optional_in_types` only affects generated types, so it does not appear.

Group and event entries are keyed by identifiers ending in "Group" and "Event" (the shared type checks by
"Value"), so `$ref` pointers never need escaping; the real names are the entries' titles. An event whose
groups declare one name with different types cannot be the plain conjunction of its groups (that would demand
every type at once), so the groups involved are merged into the event's own schema, accepting any declared
type; the others stay references.
"""

from __future__ import annotations

import functools
from typing import Any, Final

from eventschema.codegen.hashing import GENERATOR_VERSION
from eventschema.codegen.names import json_document, unique_identifiers
from eventschema.codegen.plan import Event, Group, Property, TrackingPlan
from eventschema.validation.datetimes import COMPACT_OR_UNIX, ISO_DATETIME, RFC_2822

Schema = dict[str, Any]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
DECIMAL_NUMBER: Final = r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"
NULL: Final[Schema] = {"type": "null"}
NOT_NULL: Final[Schema] = {"not": NULL}


def ignore_case(pattern: str) -> str:
    """`pattern` matching ASCII letters in either case, without inline flags (which ECMA-262 regexes lack)."""
    out: list[str] = []
    in_class, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if pattern.startswith("(?", index) and not in_class:
            if pattern[index + 2].isalpha():
                raise ValueError(f"unsupported group syntax in {pattern!r}")
            out.append("(?" + pattern[index + 2])
            index += 3
            continue
        if char.isascii() and char.isalpha():
            if in_class and pattern[index + 1] == "-":
                raise ValueError(f"unsupported letter range in {pattern!r}")
            out.append(char.lower() + char.upper() if in_class else f"[{char.lower()}{char.upper()}]")
        else:
            out.append(char)
            in_class = (in_class and char != "]") or (not in_class and char == "[")
        index += 1
    return "".join(out)


DATETIME_PATTERN: Final = (
    rf"^\s*(?:{ISO_DATETIME.pattern}|{COMPACT_OR_UNIX.pattern}|{ignore_case(RFC_2822.pattern)})\s*$"
)
# What each non-String type accepts, defined once in `$defs` under these keys and referenced everywhere else.
VALUES: Final[dict[str, tuple[str, Schema]]] = {
    "Boolean": ("BooleanValue", {"enum": [True, False, "true", "false"]}),
    "DateTime": ("DateTimeValue", {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DATETIME_PATTERN}]}),
    "Numeric": ("NumericValue", {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_NUMBER}]}),
    "Object": ("ObjectValue", {"type": ["object", "array"]}),
}


def _value_ref(property_type: str) -> Schema:
    return {"$ref": f"#/$defs/{VALUES[property_type][0]}"}


@functools.cache
def value_schema(types: tuple[str, ...], required: bool) -> Schema:
    """Any of `types`; null only when not required (PostHog treats a null required property as missing).

    Cached: there are few distinct answers, and the document may share them since nothing mutates it.
    """
    accepted = sorted(set(types))
    if "String" in accepted:
        kind: Schema = {}
    elif len(accepted) == 1:
        kind = _value_ref(accepted[0])
    else:
        kind = {"anyOf": [_value_ref(t) for t in accepted]}
    if required:  # only String's empty schema admits null; the value checks of the other types never do
        return kind or NOT_NULL
    return {"anyOf": [NULL, kind]} if kind else {}


def _object(title: str, properties: dict[str, Schema], required: list[str]) -> Schema:
    schema: Schema = {"title": title, "type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def group_schema(group: Group) -> Schema:
    properties = {p.name: value_schema((p.property_type,), p.is_required) for p in group.properties}
    return _object(group.name, properties, [p.name for p in group.properties if p.is_required])


def event_schema(event: Event, groups: dict[str, Group], refs: dict[str, str]) -> Schema:
    conflicting = {p.name for p in event.properties if len(p.types) > 1}
    merged = [name for name in event.groups if any(d.name in conflicting for d in groups[name].properties)]
    names = {d.name for name in merged for d in groups[name].properties}
    inline: list[Property] = [p for p in event.properties if p.name in names]
    schema = _object(
        event.name,
        {p.name: value_schema(p.types, p.required) for p in inline},
        [p.name for p in inline if p.required],
    )
    if not inline:
        del schema["properties"]
    referenced = [{"$ref": f"#/$defs/{refs[name]}"} for name in event.groups if name not in merged]
    if referenced:
        schema["allOf"] = referenced
    return schema


def _dispatch(event: Event, ref: str) -> Schema:
    then: Schema = {"properties": {"properties": {"$ref": f"#/$defs/{ref}"}}}
    if any(p.required for p in event.properties):
        then["required"] = ["properties"]
    return {"if": {"properties": {"event": {"const": event.name}}}, "then": then}


def document(plan: TrackingPlan) -> Schema:
    groups = {group.name: group for group in plan.groups}
    group_refs = unique_identifiers(groups, suffix="Group", fallback="Group")
    event_refs = unique_identifiers((e.name for e in plan.events), suffix="Event")
    definitions = dict(VALUES.values())
    definitions.update({group_refs[g.name]: group_schema(g) for g in plan.groups})
    definitions.update({event_refs[e.name]: event_schema(e, groups, group_refs) for e in plan.events})
    root: Schema = {
        "$schema": DIALECT,
        "$comment": f"Generated by eventschema {GENERATOR_VERSION}. Do not edit; regenerate with: "
        "eventschema pull --language json",
        "title": "Tracking plan",
        "description": 'A captured event, {"event": name, "properties": {...}}; a known event\'s properties '
        "must match its schema.",
        "type": "object",
        "required": ["event"],
        "properties": {"event": {"type": "string"}, "properties": {"type": "object"}},
    }
    if plan.events:  # allOf may not be empty
        root["allOf"] = [_dispatch(e, event_refs[e.name]) for e in plan.events]
    root["$defs"] = definitions
    return root


def generate(plan: TrackingPlan) -> str:
    return json_document(document(plan)) + "\n"
