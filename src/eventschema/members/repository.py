"""SQL for organization memberships."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import case, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth.repository import USER_BASIC_COLUMNS
from eventschema.auth.rights import Level
from eventschema.db import AnyRow, AnySelect
from eventschema.models import ConsoleSession, Organization, OrganizationMembership, PersonalAPIKey, Project, User

MEMBER_COLUMNS = (
    OrganizationMembership.id.label("membership_id"),
    OrganizationMembership.user_id,
    OrganizationMembership.level,
    OrganizationMembership.joined_at,
    OrganizationMembership.updated_at,
    *USER_BASIC_COLUMNS,
)


def _members(organization_id: UUID) -> AnySelect:
    return (
        select(*MEMBER_COLUMNS)
        .join(User, User.id == OrganizationMembership.user_id)
        .where(OrganizationMembership.organization_id == organization_id)
    )


async def current_organization(session: AsyncSession, user_id: int, current_project_id: int | None) -> AnyRow | None:
    """The organization of the user's current project if they belong to it, else the one they joined first."""
    current = (
        select(Project.organization_id).where(Project.id == current_project_id).scalar_subquery()
        if current_project_id is not None
        else literal(None)
    )
    statement = (
        select(OrganizationMembership.organization_id.label("id"), OrganizationMembership.level)
        .where(OrganizationMembership.user_id == user_id)
        .order_by(
            case((OrganizationMembership.organization_id == current, 0), else_=1),
            OrganizationMembership.joined_at,
            OrganizationMembership.id,
        )
        .limit(1)
    )
    return (await session.execute(statement)).first()


async def organization_level(session: AsyncSession, organization_id: UUID, user_id: int) -> AnyRow | None:
    """The organization's id and the user's level in it (null when not a member); None when there is none."""
    statement = (
        select(Organization.id, OrganizationMembership.level)
        .outerjoin(
            OrganizationMembership,
            (OrganizationMembership.organization_id == Organization.id) & (OrganizationMembership.user_id == user_id),
        )
        .where(Organization.id == organization_id)
    )
    return (await session.execute(statement)).first()


async def first_organization(session: AsyncSession) -> AnyRow | None:
    statement = select(Organization.id, Organization.name).order_by(Organization.created_at, Organization.id)
    return (await session.execute(statement.limit(1))).first()


async def list_members(
    session: AsyncSession, organization_id: UUID, limit: int | None, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    count_statement = select(func.count()).where(OrganizationMembership.organization_id == organization_id)
    count = (await session.execute(count_statement)).scalar_one()
    statement = _members(organization_id).order_by(OrganizationMembership.joined_at, OrganizationMembership.id)
    rows = (await session.execute(statement.limit(limit).offset(offset))).all()
    return count, rows


async def find_member(session: AsyncSession, organization_id: UUID, user_uuid: UUID) -> AnyRow | None:
    return (await session.execute(_members(organization_id).where(User.uuid == user_uuid))).first()


async def find_member_by_email(session: AsyncSession, organization_id: UUID, email: str) -> AnyRow | None:
    return (await session.execute(_members(organization_id).where(User.email == email))).first()


async def lock_owners(session: AsyncSession, organization_id: UUID) -> int:
    """How many owners the organization has, their rows locked until the transaction ends (on PostgreSQL; SQLite
    writers already hold the database's one write lock), so two owners cannot demote each other at once."""
    statement = (
        select(OrganizationMembership.id)
        .where(OrganizationMembership.organization_id == organization_id, OrganizationMembership.level == Level.OWNER)
        .with_for_update()
    )
    return len((await session.execute(statement)).all())


async def set_level(session: AsyncSession, membership_id: UUID, level: int, when: datetime) -> None:
    statement = update(OrganizationMembership).where(OrganizationMembership.id == membership_id)
    await session.execute(statement.values(level=level, updated_at=when))


async def delete_membership(session: AsyncSession, membership_id: UUID) -> None:
    await session.execute(delete(OrganizationMembership).where(OrganizationMembership.id == membership_id))


async def delete_keys_of(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(PersonalAPIKey).where(PersonalAPIKey.user_id == user_id))


async def delete_sessions_of(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


async def leave_current_project(session: AsyncSession, user_id: int, organization_id: UUID) -> None:
    """A user who left an organization has no current project in it any more."""
    in_organization = select(Project.id).where(Project.organization_id == organization_id)
    await session.execute(
        update(User)
        .where(User.id == user_id, User.current_project_id.in_(in_organization))
        .values(current_project_id=None)
    )


async def organizations_of(session: AsyncSession, user_id: int) -> Sequence[AnyRow]:
    statement = (
        select(Organization.id, Organization.name, OrganizationMembership.level.label("membership_level"))
        .join(OrganizationMembership, OrganizationMembership.organization_id == Organization.id)
        .where(OrganizationMembership.user_id == user_id)
        .order_by(OrganizationMembership.joined_at, Organization.id)
    )
    return (await session.execute(statement)).all()
