"""Quarantine shapes: the stored event, the replay request and its outcome."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.enforcement.schemas import ViolationRead
from eventschema.fields import RequestModel

Reason = Literal["missing_required", "type_mismatch", "unexpected_property"]


class QuarantinedEventRead(BaseModel):
    id: UUID
    # The event's own id (its SDK's `uuid`, or one given when it arrived), kept when it is replayed.
    uuid: UUID | None
    event: str
    distinct_id: str
    properties: dict[str, Any]
    violations: list[ViolationRead]
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
    event: str | None = None
    reason: Reason | None = None


class ReplayRead(BaseModel):
    forwarded: int
    still_quarantined: int
