"""Event schema shapes: Read / Create / Update."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from eventschema.fields import PartialModel, RequestModel
from eventschema.property_groups.schemas import PropertyGroupRead


class EventSchemaCreate(RequestModel):
    event_definition: UUID
    property_group_id: UUID


class EventSchemaUpdate(PartialModel):
    event_definition: UUID | None = None
    property_group_id: UUID | None = None


class EventSchemaRead(BaseModel):
    id: UUID
    event_definition: UUID
    property_group: PropertyGroupRead
    property_group_id: UUID
    created_at: datetime
    updated_at: datetime


class EventSchemaPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[EventSchemaRead]
