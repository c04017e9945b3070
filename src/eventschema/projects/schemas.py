"""Project shapes on the wire."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.fields import PartialModel


class ProjectRead(BaseModel):
    id: int
    organization: UUID
    name: str
    api_token: str
    created_at: datetime
    observe_examples: bool


class ProjectUpdate(PartialModel):
    observe_examples: bool | None = None


class ProjectPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[ProjectRead]


ValidationMode = Literal["posthog", "strict"]


class ValidationSettingsRead(BaseModel):
    """`posthog` checks what PostHog's ingestion checks (required properties present, every present property
    of a declared type); `strict` also reports undeclared properties for definitions with `flag_unexpected`."""

    validation_mode: ValidationMode
    schema_version: int


class ValidationSettingsUpdate(PartialModel):
    validation_mode: ValidationMode | None = None
