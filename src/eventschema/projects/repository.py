"""SQL for organizations, projects and memberships."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect
from eventschema.enforcement.repository import version_of
from eventschema.models import Organization, OrganizationMembership, Project

PROJECT_COLUMNS = (
    Project.id,
    Project.organization_id,
    Project.name,
    Project.api_token,
    Project.created_at,
    Project.observe_examples,
)


def _visible_projects(user_id: int, allowed: Sequence[int] | None) -> AnySelect:
    statement = select(*PROJECT_COLUMNS).join(
        OrganizationMembership,
        (OrganizationMembership.organization_id == Project.organization_id)
        & (OrganizationMembership.user_id == user_id),
    )
    if allowed is not None:
        statement = statement.where(Project.id.in_(allowed))
    return statement


async def list_visible(
    session: AsyncSession, user_id: int, allowed: Sequence[int] | None, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    base = _visible_projects(user_id, allowed)
    count = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    rows = (await session.execute(base.order_by(Project.id).limit(limit).offset(offset))).all()
    return count, rows


async def first_organization(session: AsyncSession) -> Organization | None:
    statement = select(Organization).order_by(Organization.created_at, Organization.id).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()


async def find_project_by_name(session: AsyncSession, organization_id: UUID, name: str) -> Project | None:
    statement = select(Project).where(Project.organization_id == organization_id, Project.name == name)
    return (await session.execute(statement.order_by(Project.id).limit(1))).scalar_one_or_none()


async def find_membership(session: AsyncSession, organization_id: UUID, user_id: int) -> OrganizationMembership | None:
    statement = select(OrganizationMembership).where(
        OrganizationMembership.organization_id == organization_id, OrganizationMembership.user_id == user_id
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def list_projects(session: AsyncSession) -> Sequence[Project]:
    return (await session.execute(select(Project).order_by(Project.id))).scalars().all()


async def add(session: AsyncSession, *objects: object) -> None:
    session.add_all(objects)
    await session.flush()


async def validation_settings(session: AsyncSession, project_id: int) -> AnyRow | None:
    statement = select(Project.validation_mode, version_of(Project.id).label("schema_version")).where(
        Project.id == project_id
    )
    return (await session.execute(statement)).first()


async def set_validation_mode(session: AsyncSession, project_id: int, mode: str) -> None:
    await session.execute(update(Project).where(Project.id == project_id).values(validation_mode=mode))


async def set_api_token(session: AsyncSession, project_id: int, token: str) -> Project | None:
    await session.execute(update(Project).where(Project.id == project_id).values(api_token=token))
    return (await session.execute(select(Project).where(Project.id == project_id))).scalar_one_or_none()
