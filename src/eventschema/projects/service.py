"""Resolving the project of a request, listing projects, and setting up accounts (bootstrap)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import repository as auth_repository
from eventschema.auth.principal import Principal
from eventschema.auth.repository import CURRENT, ProjectRef
from eventschema.enforcement.changes import schema_changed, token_changed
from eventschema.history import recorder as history
from eventschema.ids import random_base62
from eventschema.models import Organization, OrganizationMembership, Project, User
from eventschema.observed import repository as observed_repository
from eventschema.projects import repository
from eventschema.projects.schemas import ProjectUpdate, ValidationSettingsUpdate

CURRENT_PROJECT = "@current"
MAX_PROJECT_ID = 2**31 - 1
OWNER_LEVEL = 15
DEFAULT_ORGANIZATION_NAME = "Default organization"


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    organization_id: UUID
    name: str
    api_token: str
    created_at: datetime


def new_api_token() -> str:
    return "phc_" + random_base62(43)


def project_dict(row: Any, observe_examples: bool | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization": row.organization_id,
        "name": row.name,
        "api_token": row.api_token,
        "created_at": row.created_at,
        "observe_examples": row.observe_examples if observe_examples is None else observe_examples,
    }


def project_ref(raw: str) -> ProjectRef | None:
    """The project a URL names: an id, or the key owner's current project; None when it cannot name one."""
    if raw == CURRENT_PROJECT:
        return CURRENT
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_PROJECT_ID:
        return None
    return int(raw)


def check_access(principal: Principal, row: Any) -> Any:
    """The project of an authentication row that asked for one, if this key's user may work in it.

    404 first, then the key's project limits, then membership, in the order PostHog checks them.
    """
    if row.project_id is None:
        raise errors.project_not_found()
    if principal.scoped_teams is not None and row.project_id not in principal.scoped_teams:
        raise errors.PermissionDenied(f"API key does not have access to the requested project: ID {row.project_id}.")
    if row.project_level is None:
        raise errors.PermissionDenied("You don't have access to the project.")
    return ProjectRow(
        id=row.project_id,
        organization_id=row.project_organization_id,
        name=row.project_name,
        api_token=row.project_api_token,
        created_at=row.project_created_at,
    )


async def list_visible(
    session: AsyncSession, principal: Principal, limit: int, offset: int
) -> tuple[int, Sequence[Any]]:
    return await repository.list_visible(session, principal.user.id, principal.scoped_teams, limit, offset)


async def _organization(session: AsyncSession) -> Organization:
    organization = await repository.first_organization(session)
    if organization is None:
        organization = Organization(name=DEFAULT_ORGANIZATION_NAME)
        await repository.add(session, organization)
    return organization


async def create_project(session: AsyncSession, name: str) -> Project:
    """A new project in the bootstrap organization (created if there is none yet)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise errors.ValidationError("A project name must be 1 to 200 characters.", attr="name")
    organization = await _organization(session)
    project = Project(organization_id=organization.id, name=name, api_token=new_api_token())
    await repository.add(session, project)
    return project


@dataclass(frozen=True)
class Account:
    project: Project
    user: User


async def ensure_account(session: AsyncSession, *, email: str, project_name: str) -> Account:
    """Idempotently: an organization, a project of that name, the user, and the user's membership."""
    organization = await _organization(session)
    project = await repository.find_project_by_name(session, organization.id, project_name)
    if project is None:
        project = await create_project(session, project_name)
    user = await auth_repository.find_user_by_email(session, email)
    if user is None:
        user = User(email=email, distinct_id=random_base62(32), is_email_verified=False, current_project_id=project.id)
        await repository.add(session, user)
    elif user.current_project_id is None:
        user.current_project_id = project.id
    if await repository.find_membership(session, organization.id, user.id) is None:
        await repository.add(
            session, OrganizationMembership(organization_id=organization.id, user_id=user.id, level=OWNER_LEVEL)
        )
    await session.flush()
    return Account(project=project, user=user)


async def all_projects(session: AsyncSession) -> Sequence[Project]:
    return await repository.list_projects(session)


async def validation_settings(session: AsyncSession, project_id: int) -> dict[str, Any]:
    row = await repository.validation_settings(session, project_id)
    if row is None:
        raise errors.project_not_found()
    return {"validation_mode": row.validation_mode, "schema_version": row.schema_version}


async def update_validation_settings(
    session: AsyncSession, project_id: int, data: ValidationSettingsUpdate
) -> dict[str, Any]:
    mode = data.changes().get("validation_mode")
    if mode is not None:
        await repository.set_validation_mode(session, project_id, mode)
        await history.project_written(session, project_id, mode)
        await schema_changed(session, project_id)
    return await validation_settings(session, project_id)


async def retrieve(session: AsyncSession, project: ProjectRow | Project) -> dict[str, Any]:
    return project_dict(project, await observed_repository.observe_examples(session, project.id))


async def update(session: AsyncSession, project: ProjectRow, data: ProjectUpdate) -> dict[str, Any]:
    """Turning `observe_examples` off also forgets the examples and values already kept."""
    observe_examples = data.changes().get("observe_examples")
    if observe_examples is not None:
        await observed_repository.set_observe_examples(session, project.id, observe_examples)
        if not observe_examples:
            await observed_repository.forget_examples(session, project.id)
    return await retrieve(session, project)


async def rotate_token(session: AsyncSession, project_id: int) -> Project:
    """A new project API key; the old one stops working when this commits."""
    project = await repository.set_api_token(session, project_id, new_api_token())
    if project is None:
        raise errors.project_not_found()
    await token_changed(session, project_id)
    return project
