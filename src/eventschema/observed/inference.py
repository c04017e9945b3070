"""Reading observed counters: which declared types accept the values seen, a property's plan status, and the
declaration to propose for it. Pure: counters in, answers out.

Inference (a property's values other than null; "looks" are PostHog's coercions of strings, see `coercions.looks`):
| values seen | proposed `property_type` |
|---|---|
| none but null | `String` (nothing says otherwise) |
| numbers only (int, float, or both) | `Numeric` |
| booleans only | `Boolean` |
| objects only | `Object` |
| arrays only | `Array` |
| strings only, all "true"/"false" | `Boolean` |
| strings only, all date-times | `DateTime` |
| other strings only (numeric-looking ones included: ids and codes are strings) | `String` |
| mixed: the first of Numeric, DateTime, Boolean, Object whose PostHog coercion accepts every value seen | that |
| mixed, none of them accepts every value | `Any` |

PostHog's `String` would accept any value, but a mixed property is not a string to the code generated from it;
`Any` (any non-null value) says what was seen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

Status = Literal["planned", "unplanned", "type_drift", "missing"]
REQUIRED_PRESENCE: Final = 0.99
# An enum is suggested for a String property seen in at least ENUM_MIN_EVENTS events with at most ENUM_MAX_VALUES
# distinct values, all of them kept (shorter than the kept length): "low cardinality".
ENUM_MAX_VALUES: Final = 10
ENUM_MIN_EVENTS: Final = 20
VALUE_LENGTH: Final = 200
# Kept in place of the values forgotten when examples were turned off: as long as a kept value can be, so no enum
# is suggested from the values kept afterwards.
UNKNOWN_VALUES: Final = "\u2026" * VALUE_LENGTH


@dataclass(frozen=True, slots=True)
class Counts:
    """What was counted of one property (see `models.ObservedProperty`)."""

    events: int
    null: int = 0
    string: int = 0
    numeric: int = 0
    boolean: int = 0
    object: int = 0
    array: int = 0
    numeric_strings: int = 0
    boolean_strings: int = 0
    datetime_strings: int = 0

    @classmethod
    def of(cls, row: Any) -> "Counts":
        return cls(
            row.events,
            row.null_count,
            row.string_count,
            row.numeric_count,
            row.boolean_count,
            row.object_count,
            row.array_count,
            row.numeric_strings,
            row.boolean_strings,
            row.datetime_strings,
        )

    @property
    def values(self) -> int:
        """Values other than null."""
        return self.string + self.numeric + self.boolean + self.object + self.array

    def accepted(self, property_type: str) -> int:
        """How many of the values a property of that type accepts, with PostHog's coercions."""
        return {
            "String": self.values,
            "Any": self.values,
            "Numeric": self.numeric + self.numeric_strings,
            "Boolean": self.boolean + self.boolean_strings,
            "DateTime": self.numeric + self.datetime_strings,
            "Object": self.object + self.array,
            "Array": self.array,
        }.get(property_type, 0)


def infer_type(counts: Counts) -> str:
    total = counts.values
    if total == 0:
        return "String"
    for kind, count in (
        ("Numeric", counts.numeric),
        ("Boolean", counts.boolean),
        ("Object", counts.object),
        ("Array", counts.array),
    ):
        if count == total:
            return kind
    if counts.string == total:
        if counts.boolean_strings == total:
            return "Boolean"
        if counts.datetime_strings == total:
            return "DateTime"
        return "String"
    for kind in ("Numeric", "DateTime", "Boolean", "Object"):
        if counts.accepted(kind) == total:
            return kind
    return "Any"


def off_type(counts: Counts, declared: Iterable[str]) -> int:
    """Values that none of the declared types accepts (the best single declaration is counted)."""
    return counts.values - max((counts.accepted(kind) for kind in declared), default=counts.values)


@dataclass(frozen=True, slots=True)
class Declared:
    types: tuple[str, ...]
    required: bool


def status(counts: Counts, event_count: int, declared: Declared | None) -> tuple[Status, int]:
    """The plan status and how many values (type drift) or events (missing) it concerns."""
    if declared is None:
        return "unplanned", counts.events
    drift = off_type(counts, declared.types)
    if drift:
        return "type_drift", drift
    if declared.required and counts.events < event_count:
        return "missing", event_count - counts.events
    return "planned", 0


def enum_of(property_type: str, counts: Counts, values: list[str] | None) -> list[str] | None:
    """The enum to suggest, if the property is a low-cardinality String whose values are all known."""
    if property_type != "String" or not values or counts.events < ENUM_MIN_EVENTS:
        return None
    if counts.string != counts.values or len(values) > ENUM_MAX_VALUES:
        return None
    if any(len(value) >= VALUE_LENGTH for value in values):
        return None
    return sorted(values)
