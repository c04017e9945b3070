"""Project shapes on the wire."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel


class ProjectRead(BaseModel):
    id: int
    organization: UUID
    name: str
    api_token: str
    created_at: datetime


class ProjectPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[ProjectRead]
