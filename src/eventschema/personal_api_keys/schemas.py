"""The shapes of /api/personal_api_keys/, as PostHog's: `value` only in the answer to the POST that made the key."""

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel

from eventschema.fields import PartialModel, RequestModel


class PersonalAPIKeyRead(BaseModel):
    id: str
    label: str
    # Only in the answer to POST: the server keeps a hash of it.
    value: str | None = None
    mask_value: str
    created_at: datetime
    last_used_at: datetime | None
    scopes: list[str]
    # Project ids the key is limited to; null: every project of the user.
    scoped_teams: list[int] | None
    # Always null: keys are limited by project (`scoped_teams`), not by organization.
    scoped_organizations: list[str] | None


class PersonalAPIKeyPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[PersonalAPIKeyRead]


class PersonalAPIKeyCreate(RequestModel):
    label: str
    scopes: list[str]
    scoped_teams: list[int] | None = None
    scoped_organizations: list[str] | None = None


class PersonalAPIKeyUpdate(PartialModel):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"scoped_teams", "scoped_organizations"})

    label: str | None = None
    scopes: list[str] | None = None
    scoped_teams: list[int] | None = None
    scoped_organizations: list[str] | None = None
