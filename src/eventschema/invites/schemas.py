"""Invitation shapes: PostHog's /api/organizations/:id/invites/ and /api/signup/:token/."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError

from eventschema.fields import NoNullCharacters, RequestModel
from eventschema.members.schemas import LevelValue
from eventschema.property_groups.schemas import UserBasicRead

MAX_EMAIL_LENGTH = 254


def _email(value: str) -> str:
    """Enough to catch a typo; the invitation itself proves the address works."""
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or any(c.isspace() for c in value):
        raise PydanticCustomError("invalid", "Enter a valid email address.")
    if len(value) > MAX_EMAIL_LENGTH:
        raise PydanticCustomError("max_length", f"Ensure this field has no more than {MAX_EMAIL_LENGTH} characters.")
    return value


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Email = Annotated[str, NoNullCharacters, AfterValidator(_email)]
ShortText = Annotated[str, BeforeValidator(_text), NoNullCharacters, AfterValidator(lambda value: value.strip()[:150])]


class InviteCreate(RequestModel):
    target_email: Email
    first_name: ShortText = ""
    level: LevelValue = 1


class InviteRead(BaseModel):
    id: UUID
    target_email: str
    first_name: str
    emailing_attempt_made: bool
    level: LevelValue
    is_expired: bool
    created_by: UserBasicRead | None
    created_at: datetime
    expires_at: datetime


class InviteCreated(InviteRead):
    """The link is in this answer only: the server keeps just a hash of its token."""

    invite_link: str
    email_sent: bool


class InvitePage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[InviteRead]


class SignupCreate(RequestModel):
    password: Annotated[str, NoNullCharacters]
    first_name: ShortText = ""
    last_name: ShortText = ""


class SignupRead(BaseModel):
    id: UUID
    target_email: str
    first_name: str
    organization_name: str
    level: LevelValue
    expires_at: datetime


class OrganizationBasic(BaseModel):
    id: UUID
    name: str


class SignupDone(BaseModel):
    id: int
    uuid: UUID
    email: str
    first_name: str
    last_name: str
    organization: OrganizationBasic
    level: LevelValue
    personal_api_key: str
