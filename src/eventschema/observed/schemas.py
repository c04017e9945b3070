"""Observed traffic shapes on the wire: observed properties, the drift report, a proposed property group."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from eventschema.observed.inference import Status

DriftKind = Literal["unplanned_event", "unplanned_property", "type_drift", "missing_required", "overflow"]


class ObservedTypes(BaseModel):
    """How many values of each JSON type were seen."""

    string: int
    number: int
    boolean: int
    object: int
    array: int
    null: int


class StringLooks(BaseModel):
    """How many string values PostHog's coercions would read as a number, a boolean or a date-time."""

    numeric: int
    boolean: int
    datetime: int


class ObservedPropertyRead(BaseModel):
    name: str
    is_sdk: bool = Field(description="A `$` property, set by PostHog's SDKs.")
    types: ObservedTypes
    string_looks: StringLooks
    events: int = Field(description="Events of this name that carried the property.")
    presence: float = Field(description="events / the number of events of this name seen.")
    example: Any = Field(description="A recent value (strings cut to 200 characters); null when examples are off.")
    first_seen: datetime
    last_seen: datetime
    status: Status
    declared_types: list[str]
    drift_share: float | None = Field(description="type_drift: the share of values no declared type accepts.")
    missing_share: float | None = Field(description="missing: the share of events without this required property.")


class ObservedPropertyPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[ObservedPropertyRead]


class DriftRead(BaseModel):
    kind: DriftKind
    event: str = Field(description="Empty for the events past the per-project bound (kind `overflow`).")
    property: str | None
    count: int = Field(description="Events (or values, for type_drift) concerned.")
    events: int = Field(description="Events of this name seen.")
    share: float


class DriftPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[DriftRead] = Field(
        description="Unplanned events, unplanned properties, type drift, missing "
        "required properties, then overflow; within each, most first."
    )


class ProposedProperty(BaseModel):
    name: str
    property_type: str
    is_required: bool
    is_optional_in_types: bool
    description: str
    validation_rules: dict[str, Any] | None = Field(
        default=None, description="Only when an enum is suggested (a low-cardinality String); else absent."
    )


class ProposalRead(BaseModel):
    """A property group draft: POST it to schema_property_groups/ as it is."""

    name: str
    description: str
    properties: list[ProposedProperty]
