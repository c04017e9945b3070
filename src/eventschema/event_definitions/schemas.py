"""Event definition shapes: Read / Create / Update."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.fields import Name400, PartialModel, RequestModel, Text

# `warn` keeps the event and marks it with its violations; PostHog knows only allow and reject.
EnforcementMode = Literal["allow", "warn", "reject"]


class EventDefinitionCreate(RequestModel):
    name: Name400
    description: Text = ""
    enforcement_mode: EnforcementMode = "allow"
    flag_unexpected: bool = False


class EventDefinitionUpdate(PartialModel):
    name: Name400 | None = None
    description: Text | None = None
    enforcement_mode: EnforcementMode | None = None
    flag_unexpected: bool | None = None


class EventDefinitionRead(BaseModel):
    id: UUID
    name: str
    description: str
    enforcement_mode: EnforcementMode
    flag_unexpected: bool
    # PostHog's: grows with each change affecting the event (its fields, its linked groups, their properties).
    schema_version: int
    created_at: datetime
    last_seen_at: datetime | None


class EventDefinitionPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[EventDefinitionRead]
