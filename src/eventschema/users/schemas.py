"""The user shape of /api/users/@me/."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from eventschema.property_groups.schemas import UserBasicRead


class TeamBasic(BaseModel):
    id: int
    name: str


class UserRead(UserBasicRead):
    date_joined: datetime
    team: TeamBasic | None
    organization: UUID | None
