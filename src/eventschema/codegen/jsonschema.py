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

Validation rules become the JSON Schema keywords of the same names, on the values they apply to: string rules
(`pattern`, `minLength`, `maxLength`, `format`) as they are (they ignore non-strings, which a String accepts);
ranges and a Numeric enum on the number branch only (a numeric string, which the engine reads as a number, is
checked by its type only: JSON Schema cannot compare a string numerically); a Boolean enum with the string
forms the engine accepts ("true"); `enum`/`not` elsewhere as they are; nested `properties` (with `required` and
`additionalProperties`) on objects; an Array is `{"type": "array"}` with `items`, `minItems`, `maxItems`; `Any`
any non-null value. A name declared differently (type or rules) by several groups of an event is merged into
the event as `anyOf` its declarations, since a value passes when any declaration accepts it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, Final

import orjson

from eventschema.codegen.hashing import GENERATOR_VERSION
from eventschema.codegen.names import json_document, unique_identifiers
from eventschema.codegen.plan import Declaration, Event, Group, Property, TrackingPlan, nested_declaration
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


ANY_TYPES: Final = ["string", "number", "boolean", "object", "array"]
# Types short enough to write out where used.
INLINE_VALUES: Final[dict[str, Schema]] = {"Any": {"type": ANY_TYPES}, "Array": {"type": "array"}}


def _value_ref(property_type: str) -> Schema:
    if property_type in INLINE_VALUES:
        return dict(INLINE_VALUES[property_type])
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


STRING_KEYS: Final = ("pattern", "minLength", "maxLength", "format")
NUMBER_KEYS: Final = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _pick(rules: Mapping[str, Any], keys: tuple[str, ...]) -> Schema:
    return {key: rules[key] for key in keys if key in rules}


def _boolean_forms(values: list[Any]) -> list[Any]:
    return [form for value in values for form in ([value, str(value).lower()] if isinstance(value, bool) else [value])]


def _enums(rules: Mapping[str, Any], boolean: bool = False) -> Schema:
    forms = _boolean_forms if boolean else list
    schema: Schema = {}
    if "enum" in rules:
        schema["enum"] = forms(rules["enum"])
    if "not" in rules:
        schema["not"] = {"enum": forms(rules["not"]["enum"])}
    return schema


def _kind(property_type: str, rules: Mapping[str, Any]) -> Schema:
    """What a value of `property_type` with `rules` must be, null aside."""
    if property_type == "String":
        return {**_pick(rules, STRING_KEYS), **_enums(rules)}
    if property_type == "Numeric":
        number = {"type": "number", **_pick(rules, NUMBER_KEYS), **_enums(rules)}
        return {"anyOf": [number, {"type": "string", "pattern": DECIMAL_NUMBER}]}
    if property_type == "Any":
        return {"type": ANY_TYPES, **_enums(rules)}
    if property_type == "Array":
        schema: Schema = {"type": "array"}
        if "items" in rules:
            item = rules["items"]
            schema["items"] = declaration_schema(item["property_type"], item["validation_rules"], True)
        return {**schema, **_pick(rules, ("minItems", "maxItems"))}
    schema = {**_value_ref(property_type), **_enums(rules, boolean=property_type == "Boolean")}
    if "properties" in rules:
        nested = [nested_declaration(d) for d in rules["properties"]]
        schema["properties"] = {
            d.name: declaration_schema(d.property_type, d.validation_rules, d.is_required) for d in nested
        }
        if required := [d.name for d in nested if d.is_required]:
            schema["required"] = required
    if rules.get("additionalProperties") is False:
        schema["additionalProperties"] = False
    return schema


def declaration_schema(property_type: str, rules: Mapping[str, Any] | None, required: bool) -> Schema:
    """One declaration's value schema: the type's, plus the keywords of its rules."""
    if not rules:
        return value_schema((property_type,), required)
    kind = _kind(property_type, rules)
    if not required:
        return {"anyOf": [NULL, kind]}
    if property_type != "String":  # every other kind refuses null already
        return kind
    return {"allOf": [NOT_NULL, kind]} if "not" in kind else {**kind, "not": NULL}


def _schema_of(declaration: Declaration, required: bool) -> Schema:
    return declaration_schema(declaration.property_type, declaration.validation_rules, required)


def _key(declaration: Declaration) -> tuple[str, str]:
    """What tells declarations of one name apart: the type and the rules as canonical JSON."""
    rules = declaration.validation_rules
    if not rules:
        return declaration.property_type, ""
    try:
        return declaration.property_type, orjson.dumps(rules, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:  # a lone surrogate, which orjson refuses
        return declaration.property_type, json.dumps(rules, sort_keys=True)


def _object(title: str, properties: dict[str, Schema], required: list[str]) -> Schema:
    schema: Schema = {"title": title, "type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def group_schema(group: Group) -> Schema:
    properties = {
        p.name: _schema_of(p, p.is_required) if p.validation_rules else value_schema((p.property_type,), p.is_required)
        for p in group.properties
    }
    return _object(group.name, properties, [p.name for p in group.properties if p.is_required])


def _inline_schema(prop: Property, declarations: list[Declaration]) -> Schema:
    """A name some of whose declarations have rules: any of its distinct declarations."""
    unique = [_schema_of(d, prop.required) for _, d in sorted({_key(d): d for d in declarations}.items())]
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


def _declarations(event: Event, groups: dict[str, Group], names: set[str]) -> dict[str, list[Declaration]]:
    declared: dict[str, list[Declaration]] = {}
    for name in event.groups:
        for d in groups[name].properties:
            if d.name in names:
                declared.setdefault(d.name, []).append(d)
    return declared


def event_schema(event: Event, groups: dict[str, Group], refs: dict[str, str]) -> Schema:
    # Declarations that differ cannot be the conjunction of their groups: a value passes when any accepts it.
    # Only a name with several types or with rules (it then has shapes) can be declared differently.
    with_rules = {p.name for p in event.properties if p.shapes}
    declared = _declarations(event, groups, with_rules) if with_rules else {}
    conflicting = {
        p.name
        for p in event.properties
        if len(p.types) > 1 or (p.shapes and len({_key(d) for d in declared[p.name]}) > 1)
    }
    merged = [name for name in event.groups if any(d.name in conflicting for d in groups[name].properties)]
    names = {d.name for name in merged for d in groups[name].properties}
    inline: list[Property] = [p for p in event.properties if p.name in names]
    schema = _object(
        event.name,
        {
            p.name: _inline_schema(p, declared[p.name]) if p.shapes else value_schema(p.types, p.required)
            for p in inline
        },
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
