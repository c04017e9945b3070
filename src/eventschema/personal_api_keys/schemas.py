"""The shapes of /api/personal_api_keys/, as PostHog's: `value` only in the answer to the POST that made the key."""

from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, WithJsonSchema

from eventschema.auth.scopes import ALL_SCOPES, SCOPE_OBJECTS
from eventschema.fields import PartialModel, RequestModel

SCOPE_VALUES = [ALL_SCOPES, *(f"{o}:{level}" for o in SCOPE_OBJECTS for level in ("read", "write"))]
# Checked by the service (auth.scopes), with the command line's message; documented here.
Scope = Annotated[str, WithJsonSchema({"type": "string", "enum": SCOPE_VALUES})]


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
    scopes: list[Scope]
    scoped_teams: list[int] | None = None
    scoped_organizations: list[str] | None = None


class PersonalAPIKeyUpdate(PartialModel):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"scoped_teams", "scoped_organizations"})

    label: str | None = None
    scopes: list[Scope] | None = None
    scoped_teams: list[int] | None = None
    scoped_organizations: list[str] | None = None
