"""Organization member shapes, as PostHog's /api/organizations/:id/members/ has them."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.fields import PartialModel
from eventschema.property_groups.schemas import UserBasicRead

# PostHog's levels: 1 member, 8 admin, 15 owner.
LevelValue = Literal[1, 8, 15]


class MemberRead(BaseModel):
    id: UUID
    user: UserBasicRead
    level: LevelValue
    joined_at: datetime
    updated_at: datetime


class MemberPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[MemberRead]


class MemberUpdate(PartialModel):
    level: LevelValue | None = None
