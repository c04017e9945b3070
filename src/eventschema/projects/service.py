"""Resolving the project of a request, listing projects, and setting up accounts (bootstrap)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import repository as auth_repository
from eventschema.auth.principal import Principal
from eventschema.ids import random_base62
from eventschema.models import Organization, OrganizationMembership, Project, User
from eventschema.projects import repository

CURRENT_PROJECT = "@current"
OWNER_LEVEL = 15
DEFAULT_ORGANIZATION_NAME = "Default organization"


def new_api_token() -> str:
    return "phc_" + random_base62(43)


def project_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization": row.organization_id,
        "name": row.name,
        "api_token": row.api_token,
        "created_at": row.created_at,
    }


def _parse_project_id(raw: str, principal: Principal) -> int:
    if raw == CURRENT_PROJECT:
        if principal.current_project_id is None:
            raise errors.project_not_found()
        return principal.current_project_id
    if not raw.isascii() or not raw.isdigit():
        raise errors.project_not_found()
    value = int(raw)
    if value > 2**31 - 1:
        raise errors.project_not_found()
    return value


async def resolve(session: AsyncSession, principal: Principal, raw_project_id: str) -> Any:
    """The project named in the URL, if this key's user may work in it: 404, then 403s, as PostHog orders them."""
    project_id = _parse_project_id(raw_project_id, principal)
    row = await repository.project_for_user(session, project_id, principal.user.id)
    if row is None:
        raise errors.project_not_found()
    if principal.scoped_teams is not None and row.id not in principal.scoped_teams:
        raise errors.PermissionDenied(f"API key does not have access to the requested project: ID {row.id}.")
    if not row.is_member:
        raise errors.PermissionDenied("You don't have access to the project.")
    return row


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
