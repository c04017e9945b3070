"""Event log shapes."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


class EventRead(BaseModel):
    id: int
    # The event's own id (its SDK's `uuid`, or one given when it arrived); none on events older than it.
    uuid: UUID | None
    event: str
    distinct_id: str
    properties: dict[str, Any]
    timestamp: datetime
    received_at: datetime


class EventPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[EventRead]
