"""Plain data the engine consumes and produces.

The engine is fed by the database layer and read by the API and the gateway, so its inputs and outputs are
immutable value objects with no behaviour beyond serialisation: a compiled schema can then be shared between
threads and cached per schema version without defensive copies. Stored `validation_rules` (JSON objects) are
turned into `Rules` by `validation.rules.parse_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Mode = Literal["posthog", "strict"]
"""`posthog` checks exactly what PostHog's ingestion checks; `strict` also flags undeclared keys."""

PROPERTY_TYPES: Final[frozenset[str]] = frozenset(
    {"DateTime", "String", "Numeric", "Boolean", "Object", "Any", "Array"}
)

Reason = Literal[
    "missing_required",
    "type_mismatch",
    "unexpected_property",
    "not_in_enum",
    "in_excluded_enum",
    "out_of_range",
    "pattern_mismatch",
    "too_short",
    "too_long",
    "invalid_format",
    "too_few_items",
    "too_many_items",
]
MISSING_REQUIRED: Final = "missing_required"
TYPE_MISMATCH: Final = "type_mismatch"
UNEXPECTED_PROPERTY: Final = "unexpected_property"
NOT_IN_ENUM: Final = "not_in_enum"
IN_EXCLUDED_ENUM: Final = "in_excluded_enum"
OUT_OF_RANGE: Final = "out_of_range"
PATTERN_MISMATCH: Final = "pattern_mismatch"
TOO_SHORT: Final = "too_short"
TOO_LONG: Final = "too_long"
INVALID_FORMAT: Final = "invalid_format"
TOO_FEW_ITEMS: Final = "too_few_items"
TOO_MANY_ITEMS: Final = "too_many_items"

Scalar = str | int | float | bool
FORMATS: Final = ("email", "uri", "uuid", "date", "date-time")


@dataclass(frozen=True, slots=True)
class Rules:
    """A property's normalised `validation_rules`, immutable and hashable; None fields are absent rules.

    `canonical` is the stored object as canonical JSON (sorted keys): two declarations with equal rules have
    equal `canonical`, and it orders declarations deterministically.
    """

    canonical: str
    enum: tuple[Scalar, ...] | None = None
    not_enum: tuple[Scalar, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    format: str | None = None
    properties: tuple[PropertySpec, ...] | None = None
    additional_properties: bool = True
    items: ItemSpec | None = None
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One typed property of a property group (or a nested declaration in `Rules.properties`), as stored."""

    name: str
    property_type: str
    is_required: bool
    rules: Rules | None = None


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """What each element of an `Array` property must be (`Rules.items`)."""

    property_type: str
    rules: Rules | None = None


@dataclass(frozen=True, slots=True)
class EventSpec:
    """An event definition with the properties of every group linked to it, flattened.

    The same name may occur several times (once per group that declares it); the engine reconciles them.
    `flag_unexpected` only has an effect in strict mode.
    """

    name: str
    properties: tuple[PropertySpec, ...]
    flag_unexpected: bool = False


@dataclass(frozen=True, slots=True)
class Violation:
    """Why one property of one event failed its schema.

    `property` is the property's name, or for nested declarations its path (`cart.items[2].sku`).
    `expected_types` lists every type declared for the property (sorted), also for `missing_required` and the
    rule reasons, so a client can say what it should have sent; it is empty for `unexpected_property`.
    `actual_value` is the offending value stringified (see `stringify`), None when the property was missing
    or null.
    """

    property: str
    reason: Reason
    expected_types: tuple[str, ...]
    actual_value: str | None

    def to_dict(self) -> dict[str, object]:
        """The JSON-ready record, in the shape of PostHog's ingestion warning entries."""
        return {
            "property": self.property,
            "reason": self.reason,
            "expected_types": list(self.expected_types),
            "actual_value": self.actual_value,
        }
