"""Event log shapes."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class EventRead(BaseModel):
    id: int
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
