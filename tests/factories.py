"""Small factories and helpers shared by the tests."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from eventschema.auth import service as auth_service
from eventschema.db import Database
from eventschema.ids import random_base62
from eventschema.models import OrganizationMembership, Project, User
from eventschema.projects import service as projects_service

# Keys of the wire shapes, in the order PostHog serialises them.
EVENT_SCHEMA_KEYS = ["id", "event_definition", "property_group", "property_group_id", "created_at", "updated_at"]
GROUP_KEYS = ["id", "name", "description", "properties", "events", "created_at", "updated_at", "created_by"]
PROPERTY_KEYS = [
    "id",
    "name",
    "property_type",
    "is_required",
    "is_optional_in_types",
    "description",
    "validation_rules",
    "created_at",
    "updated_at",
]
USER_BASIC_KEYS = [
    "id",
    "uuid",
    "distinct_id",
    "first_name",
    "last_name",
    "email",
    "is_email_verified",
    "hedgehog_config",
    "role_at_organization",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@dataclass
class Account:
    project_id: int
    api_key: str
    email: str
    user_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def url(self, path: str = "") -> str:
        return f"/api/projects/{self.project_id}/{path}"


async def make_account(
    database: Database,
    email: str = "owner@example.com",
    project: str = "Project",
    scopes: list[str] | None = None,
    projects: list[int] | None = None,
) -> Account:
    """A user in a project with a personal API key (scope '*' unless given), through the real services."""
    async with database.session(write=True) as session:
        account = await projects_service.ensure_account(session, email=email, project_name=project)
        key = await auth_service.create_key(
            session, email=email, scopes=scopes or ["*"], projects=projects, label="test"
        )
        await session.commit()
        return Account(project_id=account.project.id, api_key=key.value, email=email, user_id=account.user.id)


async def make_member(
    database: Database, project_id: int, email: str, level: int, scopes: list[str] | None = None
) -> Account:
    """A user at `level` in the organization of `project_id` (their current project), with a personal API key."""
    async with database.session(write=True) as session:
        project = await session.get(Project, project_id)
        assert project is not None
        user = User(email=email, distinct_id=random_base62(32), is_email_verified=True, current_project_id=project_id)
        session.add(user)
        await session.flush()
        session.add(OrganizationMembership(organization_id=project.organization_id, user_id=user.id, level=level))
        key = await auth_service.create_key(session, email=email, scopes=scopes or ["*"], projects=None, label="test")
        await session.commit()
        return Account(project_id=project_id, api_key=key.value, email=email, user_id=user.id)


async def make_key(database: Database, email: str, scopes: list[str], projects: list[int] | None = None) -> str:
    async with database.session(write=True) as session:
        key = await auth_service.create_key(session, email=email, scopes=scopes, projects=projects, label="test")
        await session.commit()
        return key.value


class StatementCounter:
    """Counts the SQL statements an engine executes while active."""

    def __init__(self, database: Database) -> None:
        self.engine = database.engine.sync_engine
        self.statements: list[str] = []

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> "StatementCounter":
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len([s for s in self.statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))])
