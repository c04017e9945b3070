"""Plain data the engine consumes and produces.

The engine is fed by the database layer and read by the API and the gateway, so its inputs and outputs are
immutable value objects with no behaviour beyond serialisation: a compiled schema can then be shared between
threads and cached per schema version without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Mode = Literal["posthog", "strict"]
"""`posthog` checks exactly what PostHog's ingestion checks; `strict` also flags undeclared keys."""

PROPERTY_TYPES: Final[frozenset[str]] = frozenset({"DateTime", "String", "Numeric", "Boolean", "Object"})

Reason = Literal["missing_required", "type_mismatch", "unexpected_property"]
MISSING_REQUIRED: Final = "missing_required"
TYPE_MISMATCH: Final = "type_mismatch"
UNEXPECTED_PROPERTY: Final = "unexpected_property"


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One typed property of a property group, as stored."""

    name: str
    property_type: str
    is_required: bool


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

    `expected_types` lists every type declared for the property (sorted), also for `missing_required`, so a
    client can say what it should have sent; it is empty for `unexpected_property`. `actual_value` is the
    offending value stringified (see `stringify`), None when the property was missing or null.
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
