"""Alert webhook shapes on the wire."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field

from eventschema.fields import Name400, RequestModel


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) > 2000 or any(c.isspace() for c in value):
        raise ValueError("Enter a valid http:// or https:// URL of at most 2000 characters.")
    return value


class AlertWebhookCreate(RequestModel):
    url: Annotated[str, AfterValidator(_http_url)] = Field(json_schema_extra={"format": "uri", "maxLength": 2000})
    threshold: int = Field(ge=1, le=2**31 - 1, description="Violations of one event in one hour that trigger it.")
    event: Name400 | None = Field(default=None, description="Only this event's violations; null: every event's.")


class AlertWebhookRead(BaseModel):
    id: UUID
    url: str
    threshold: int
    event: str | None
    created_at: datetime


class AlertWebhookPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[AlertWebhookRead]
