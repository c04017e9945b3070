"""Validate API shapes: one event or a batch in, one verdict per event out."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from eventschema.fields import RequestModel
from eventschema.validation import Reason

MAX_BATCH = 10_000


class EventToValidate(RequestModel):
    event: str = Field(json_schema_extra={"minLength": 1})  # documented; `_not_blank` gives PostHog's error
    properties: dict[str, Any] | None = None

    @field_validator("event")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise PydanticCustomError("blank", "This field may not be blank.")
        return value


class BatchToValidate(RequestModel):
    batch: list[EventToValidate] = Field(json_schema_extra={"maxItems": MAX_BATCH})


class ViolationRead(BaseModel):
    property: str
    reason: Reason
    expected_types: list[str]
    actual_value: str | None


class VerdictRead(BaseModel):
    event: str
    valid: bool
    action: Literal["forward", "mark", "quarantine"]
    violations: list[ViolationRead]


class ValidateResultsRead(BaseModel):
    results: list[VerdictRead]


class ViolationCountRead(BaseModel):
    event: str
    property: str
    reason: str
    count: int


class ViolationCountPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[ViolationCountRead] = Field(description="Last 24 hours, most frequent first.")


class ViolationBucketRead(BaseModel):
    start: datetime
    count: int


class ViolationHistoryRead(BaseModel):
    event: str
    property: str
    count: int
    reasons: dict[str, int]
    buckets: list[ViolationBucketRead] = Field(description="Buckets with violations, oldest first.")


class ViolationHistoryPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[ViolationHistoryRead] = Field(
        description="With since, until or interval: per event and property, most violations first."
    )
