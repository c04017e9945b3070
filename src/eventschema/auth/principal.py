"""Who a request acts as: the key's owner and the key's limits."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

PUBLIC_HEDGEHOG_KEYS = ("use_as_profile", "color", "accessories")


def public_hedgehog(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only the public part of a user's hedgehog, and only when it is their avatar (as PostHog shows it)."""
    if config and config.get("use_as_profile"):
        return {key: config.get(key) for key in PUBLIC_HEDGEHOG_KEYS}
    return None


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

    def public_dict(self) -> dict[str, Any]:
        """The user as PostHog embeds it in `created_by`."""
        return {**self.as_dict(), "hedgehog_config": public_hedgehog(self.hedgehog_config)}

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


def user_basic(row: Any) -> dict[str, Any] | None:
    """PostHog's UserBasic from a row of `auth.repository.USER_BASIC_COLUMNS` (None: no user, id NULL)."""
    if row.id is None:
        return None
    return {
        "id": row.id,
        "uuid": row.uuid,
        "distinct_id": row.distinct_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "is_email_verified": row.is_email_verified,
        "hedgehog_config": public_hedgehog(row.hedgehog_config),
        "role_at_organization": row.role_at_organization,
    }
