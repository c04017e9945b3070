"""The user shape of /api/users/@me/."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from eventschema.property_groups.schemas import UserBasicRead


class TeamBasic(BaseModel):
    id: int
    name: str


class OrganizationMembershipBasic(BaseModel):
    id: UUID
    name: str
    membership_level: Literal[1, 8, 15]


class UserRead(UserBasicRead):
    date_joined: datetime
    team: TeamBasic | None
    organization: UUID | None
    organizations: list[OrganizationMembershipBasic]
