"""Property types and `validation_rules`: what a request may declare, and the form in which rules are stored.

Pydantic checks the shape (known keys, the type of each value, patterns that compile); `normalise` then checks what
depends on the property's type or on several keys at once (a rule on a type it does not apply to, empty ranges,
nesting depth, nested names given twice), and returns the stored form: keys in the order of `RULE_KEYS`, nested
declarations with every field filled in, and None for no rules (`{}` included). Whatever reads stored rules (the
engine, code generation) may rely on that form. A key given as null is the same as a key left out.

Patterns are compiled by RE2, which matches in time linear in the length of the input whatever the pattern, so no
pattern can make a check backtrack. RE2 has no lookarounds and no backreferences: patterns using them are refused.
"""

import math
from typing import Annotated, Any, Literal, get_args

import orjson
import re2
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from eventschema import errors
from eventschema.fields import NoNullCharacters, PropertyName, Text

PropertyType = Literal["DateTime", "String", "Numeric", "Boolean", "Object", "Any", "Array"]
_CHOICES = ", ".join(get_args(PropertyType))
MAX_ENUM = 1000
MAX_DEPTH = 5
FORMATS = ("email", "uri", "uuid", "date", "date-time")


def _known_type(value: Any) -> Any:
    """PostHog's invalid-choice message, followed by the choices, so a typo can be fixed without the docs."""
    if value is None or value in get_args(PropertyType):
        return value  # None: reported by the field itself as "may not be null"
    raise PydanticCustomError(
        "invalid_choice",
        '"{value}" is not a valid choice. Choose one of: {choices}.',
        {"value": value, "choices": _CHOICES},
    )


PropertyTypeIn = Annotated[PropertyType, BeforeValidator(_known_type)]

_SCALARS = ("String", "Numeric", "Boolean", "DateTime", "Any")
# Each key (its JSON name) and the property types it applies to, in the order stored rules list them.
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "enum": _SCALARS,
    "not": _SCALARS,
    "minimum": ("Numeric",),
    "maximum": ("Numeric",),
    "exclusiveMinimum": ("Numeric",),
    "exclusiveMaximum": ("Numeric",),
    "pattern": ("String",),
    "minLength": ("String",),
    "maxLength": ("String",),
    "format": ("String",),
    "properties": ("Object",),
    "additionalProperties": ("Object",),
    "items": ("Array",),
    "minItems": ("Array",),
    "maxItems": ("Array",),
}
# (lower bound, upper bound, whether equal bounds leave no value): pairs no value could satisfy.
_BOUNDS = (
    ("minimum", "maximum", False),
    ("minimum", "exclusiveMaximum", True),
    ("exclusiveMinimum", "maximum", True),
    ("exclusiveMinimum", "exclusiveMaximum", True),
    ("minLength", "maxLength", False),
    ("minItems", "maxItems", False),
)


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PydanticCustomError("invalid_input", "A valid number is required.")
    return value


def _count(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON does not tell 2 from 2.0
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("invalid_input", "A valid integer is required.")
    if value < 0:
        raise PydanticCustomError("min_value", "Ensure this value is greater than or equal to 0.")
    return value


def _scalar(value: Any) -> Any:
    if isinstance(value, str | bool) or (isinstance(value, int | float) and math.isfinite(value)):
        return value
    raise PydanticCustomError("invalid_input", "Enum values must be strings, numbers or booleans.")


def _json_key(value: Any) -> tuple[str, Any]:
    """Equality as JSON has it: 1 and 1.0 are one value, true and 1 are two."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        return ("number", value)
    return ("string", value)


def _enum_values(values: list[Any]) -> list[Any]:
    if not values:
        raise PydanticCustomError("empty", "This list may not be empty.")
    if len(values) > MAX_ENUM:
        raise PydanticCustomError("max_length", f"Ensure this field has no more than {MAX_ENUM} elements.")
    seen: set[tuple[str, Any]] = set()
    for value in values:
        key = _json_key(value)
        if key in seen:
            shown = orjson.dumps(value).decode()
            raise PydanticCustomError("unique", "The value {value} appears more than once.", {"value": shown})
        seen.add(key)
    return values


def _compiles(pattern: str) -> str:
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PydanticCustomError(
            "invalid_input",
            "Not a valid regular expression ({reason}). Patterns use RE2 syntax, which has no lookarounds "
            "and no backreferences.",
            {"reason": reason},
        ) from None
    return pattern


Number = Annotated[int | float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Count = Annotated[int, BeforeValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0})]
Scalar = Annotated[
    Any,
    BeforeValidator(_scalar),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}),
]
EnumValues = Annotated[
    list[Scalar],
    AfterValidator(_enum_values),
    Field(json_schema_extra={"minItems": 1, "maxItems": MAX_ENUM, "uniqueItems": True}),
]
Pattern = Annotated[
    str, NoNullCharacters, AfterValidator(_compiles), WithJsonSchema({"type": "string", "pattern": "^[^\\x00]*$"})
]
Format = Literal["email", "uri", "uuid", "date", "date-time"]


class _Strict(BaseModel):
    """Rules are a contract other components rely on: a key nobody knows is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


def _too_deep(raw: Any, path: str = "", level: int = 0) -> str | None:
    """The path (below `raw`, a rules object as sent) of the first nested declarations past MAX_DEPTH, if any."""
    if not isinstance(raw, dict):
        return None
    nested = raw.get("properties")
    declarations = (
        [(_at(path, "properties"), _at(path, "properties", index), item) for index, item in enumerate(nested)]
        if isinstance(nested, list)
        else []
    )
    if raw.get("items") is not None:
        declarations.append((_at(path, "items"), _at(path, "items"), raw["items"]))
    for container, where, declaration in declarations:
        if level + 1 > MAX_DEPTH:
            return container
        found = isinstance(declaration, dict) and _too_deep(
            declaration.get("validation_rules"), _at(where, "validation_rules"), level + 1
        )
        if found:
            return found
    return None


def _bounded_depth(raw: Any) -> Any:
    """Refused before the nested levels are validated, so that no request can make validation recurse deeply."""
    too_deep = _too_deep(raw)
    if too_deep is not None:
        raise PydanticCustomError(
            "max_depth",
            "Nested declarations go at most {depth} levels deep; {path} goes deeper.",
            {"depth": MAX_DEPTH, "path": too_deep},
        )
    return raw


class NotRule(_Strict):
    enum: EnumValues


class Rules(_Strict):
    """Rules a property's values must follow: JSON Schema 2020-12 keywords, each for some property types (enum, not:
    scalar types; the bounds: Numeric; pattern, lengths, format: String; properties, additionalProperties: Object;
    items, minItems, maxItems: Array)."""

    enum: EnumValues | None = None
    not_: NotRule | None = Field(default=None, alias="not")
    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = Field(default=None, alias="exclusiveMinimum")
    exclusive_maximum: Number | None = Field(default=None, alias="exclusiveMaximum")
    pattern: Pattern | None = None
    min_length: Count | None = Field(default=None, alias="minLength")
    max_length: Count | None = Field(default=None, alias="maxLength")
    format: Format | None = None
    properties: "list[NestedProperty] | None" = None
    additional_properties: bool | None = Field(default=None, alias="additionalProperties")
    items: "ItemDeclaration | None" = None
    min_items: Count | None = Field(default=None, alias="minItems")
    max_items: Count | None = Field(default=None, alias="maxItems")

    @model_validator(mode="before")
    @classmethod
    def _bounded(cls, raw: Any) -> Any:
        return _bounded_depth(raw)


class ItemDeclaration(_Strict):
    """What each element of an Array property is."""

    property_type: PropertyTypeIn
    description: Text = ""
    validation_rules: Rules | None = None


class NestedProperty(_Strict):
    """A key of an Object property, declared with the same fields as a property of a group."""

    name: PropertyName
    property_type: PropertyTypeIn
    is_required: bool = False
    is_optional_in_types: bool = False
    description: Text = ""
    validation_rules: Rules | None = None


Rules.model_rebuild()


def _at(*parts: object) -> str:
    return "__".join(str(part) for part in parts if part != "")


def normalise(property_type: str, rules: Rules | None, attr: str = "") -> dict[str, Any] | None:
    """The stored form of the rules of a property of `property_type`.

    `attr` is the property's own path in the request (e.g. `properties__2`, or "" when the body is the property);
    errors name the rule below it, e.g. `properties__2__validation_rules__pattern`.
    """
    if rules is None:
        return None
    here = _at(attr, "validation_rules")
    given = rules.model_dump(by_alias=True, exclude_none=True)
    for key in given:
        if property_type not in RULE_KEYS[key]:
            allowed = ", ".join(RULE_KEYS[key])
            raise errors.ValidationError(
                f'"{key}" does not apply to a {property_type} property (only to {allowed}).', attr=_at(here, key)
            )
    for low, high, strict in _BOUNDS:
        if low in given and high in given and (given[low] >= given[high] if strict else given[low] > given[high]):
            raise errors.ValidationError(
                f"No value can satisfy both {low} {given[low]} and {high} {given[high]}.", attr=_at(here, low)
            )
    stored: dict[str, Any] = {}
    for key in RULE_KEYS:
        if key == "properties" and rules.properties is not None:
            stored[key] = _nested_properties(rules.properties, _at(here, key))
        elif key == "items" and rules.items is not None:
            stored[key] = _item(rules.items, _at(here, key))
        elif key in given:
            stored[key] = given[key]
    return stored or None


def _item(item: ItemDeclaration, attr: str) -> dict[str, Any]:
    return {
        "property_type": item.property_type,
        "description": item.description,
        "validation_rules": normalise(item.property_type, item.validation_rules, attr),
    }


def _nested_properties(declared: list[NestedProperty], attr: str) -> list[dict[str, Any]]:
    seen: set[str] = set()
    stored = []
    for index, item in enumerate(declared):
        if item.name in seen:
            raise errors.ValidationError(
                f"A property named '{item.name}' is declared more than once here", code="unique", attr=attr
            )
        seen.add(item.name)
        stored.append(
            {
                "name": item.name,
                "property_type": item.property_type,
                "is_required": item.is_required,
                "is_optional_in_types": item.is_optional_in_types,
                "description": item.description,
                "validation_rules": normalise(item.property_type, item.validation_rules, _at(attr, index)),
            }
        )
    return stored


def parse_stored(stored: dict[str, Any] | None) -> Rules | None:
    """Stored rules as the model, to check them again (against a new property type)."""
    return None if stored is None else Rules.model_validate(stored)
