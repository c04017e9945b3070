"""Quarantine shapes: the stored event, the replay request and its outcome."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from eventschema.enforcement.schemas import ViolationRead
from eventschema.fields import NoNullCharacters, RequestModel
from eventschema.validation import Reason as SchemaReason

# The schema checks' reasons; `invalid_event`: the event could not be stored as sent (NUL characters, nested too
# deeply); `upstream_rejected`: the upstream PostHog refused the event (4xx) when it was forwarded.
Reason = Literal[SchemaReason, "invalid_event", "upstream_rejected"]


class QuarantineViolationRead(ViolationRead):
    reason: Reason  # type: ignore[assignment]
    message: str | None = Field(
        default=None,
        description="For `invalid_event`: what cannot be stored as sent and what was done about it; for "
        "`upstream_rejected`: the upstream's status and the start of its answer.",
    )


class QuarantinedEventRead(BaseModel):
    id: UUID
    # The event's own id (its SDK's `uuid`, or one given when it arrived), kept when it is replayed.
    uuid: UUID | None
    event: str
    distinct_id: str
    properties: dict[str, Any]
    violations: list[QuarantineViolationRead]
    reasons: list[Reason]
    received_at: datetime


class QuarantinedEventPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[QuarantinedEventRead]


class ReplayRequest(RequestModel):
    """Which quarantined events to replay: these ids, or those matching the filters (all when none is given)."""

    ids: list[UUID] | None = None
    event: Annotated[str, NoNullCharacters] | None = None
    reason: Reason | None = None
    after: datetime | None = Field(default=None, description="Received at or after this time (without a zone, UTC).")
    before: datetime | None = Field(default=None, description="Received before this time (without a zone, UTC).")

    @field_validator("after", "before", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        """A date-time is written as text (ISO 8601), as the schema says; a number is not read as a Unix time."""
        if value is not None and not isinstance(value, str):
            raise ValueError("Enter a date-time as text, such as 2026-11-30T12:00:00Z.")
        return value

    @field_validator("after", "before")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


class ReplayRead(BaseModel):
    forwarded: int
    still_quarantined: int
