"""Quarantine shapes: the stored event, the replay request and its outcome."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.enforcement.schemas import ViolationRead
from eventschema.fields import NoNullCharacters, RequestModel

Reason = Literal["missing_required", "type_mismatch", "unexpected_property", "invalid_event"]


class QuarantineViolationRead(ViolationRead):
    reason: Reason  # type: ignore[assignment]
    # Set for `invalid_event`: what cannot be stored as sent, and what was done about it.
    message: str | None = None


class QuarantinedEventRead(BaseModel):
    id: UUID
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


class ReplayRead(BaseModel):
    forwarded: int
    still_quarantined: int
