"""Who a request acts as: the key's owner and the key's limits."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class UserBasic:
    """The user fields PostHog embeds as `created_by`."""

    id: int
    uuid: UUID
    distinct_id: str | None
    first_name: str
    last_name: str
    email: str
    is_email_verified: bool | None
    hedgehog_config: dict[str, Any] | None
    role_at_organization: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "distinct_id": self.distinct_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "is_email_verified": self.is_email_verified,
            "hedgehog_config": self.hedgehog_config,
            "role_at_organization": self.role_at_organization,
        }


@dataclass(frozen=True, slots=True)
class Principal:
    user: UserBasic
    current_project_id: int | None
    key_id: str
    scopes: tuple[str, ...]
    scoped_teams: tuple[int, ...] | None
    key_last_used_at: datetime | None
