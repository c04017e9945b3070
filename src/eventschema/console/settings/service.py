"""What the Settings page shows: the project's validation mode and public API key, and the signed-in user's own
personal API keys (masked) with the scopes a new key may be given."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth.scopes import ALL_SCOPES, SCOPE_OBJECTS
from eventschema.personal_api_keys import service as keys_service
from eventschema.projects import service as projects_service

# A user has a handful of keys; the page lists this many, newest first.
MAX_KEYS = 200
SCOPE_CHOICES: tuple[tuple[str, str], ...] = (
    (ALL_SCOPES, "* (everything)"),
    *((f"{o}:{level}", f"{o}:{level}") for o in SCOPE_OBJECTS for level in ("read", "write")),
)


@dataclass(frozen=True, slots=True)
class Settings:
    validation_mode: str
    schema_version: int
    keys: Sequence[dict[str, Any]]
    keys_total: int
    # Project names by id, for the keys' project limits.
    project_names: dict[int, str]


async def settings(session: AsyncSession, project_id: int, user_id: int, projects: Sequence[Any]) -> Settings:
    validation = await projects_service.validation_settings(session, project_id)
    total, keys = await keys_service.list_user_keys(session, user_id, MAX_KEYS, 0)
    return Settings(
        validation_mode=validation["validation_mode"],
        schema_version=validation["schema_version"],
        keys=keys,
        keys_total=total,
        project_names={project.id: project.name for project in projects},
    )
