"""SQL for invitations."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from eventschema.auth.repository import USER_BASIC_COLUMNS
from eventschema.db import AnyRow, AnySelect
from eventschema.models import Organization, OrganizationInvite, OrganizationMembership, Project, User

INVITE_COLUMNS = (
    OrganizationInvite.id.label("invite_id"),
    OrganizationInvite.organization_id,
    OrganizationInvite.target_email,
    OrganizationInvite.first_name.label("invite_first_name"),
    OrganizationInvite.level,
    OrganizationInvite.created_at,
    OrganizationInvite.expires_at,
    OrganizationInvite.emailing_attempt_made,
    OrganizationInvite.accepted_at,
    Organization.name.label("organization_name"),
    *USER_BASIC_COLUMNS,
)


def _invites() -> AnySelect:
    return (
        select(*INVITE_COLUMNS)
        .join(Organization, Organization.id == OrganizationInvite.organization_id)
        .outerjoin(User, User.id == OrganizationInvite.created_by_id)
    )


async def add(session: AsyncSession, *objects: object) -> None:
    session.add_all(objects)
    await session.flush()


async def drop_pending(session: AsyncSession, organization_id: UUID, email: str) -> None:
    """Earlier invitations of the same person to the same organization: a new one replaces them."""
    await session.execute(
        delete(OrganizationInvite).where(
            OrganizationInvite.organization_id == organization_id,
            OrganizationInvite.target_email == email,
            OrganizationInvite.accepted_at.is_(None),
        )
    )


async def find(session: AsyncSession, invite_id: UUID) -> AnyRow | None:
    return (await session.execute(_invites().where(OrganizationInvite.id == invite_id))).first()


async def find_by_token(session: AsyncSession, token_hash: str) -> AnyRow | None:
    return (await session.execute(_invites().where(OrganizationInvite.token_hash == token_hash))).first()


async def list_pending(
    session: AsyncSession, organization_id: UUID, limit: int, offset: int
) -> tuple[int, Sequence[AnyRow]]:
    where = (OrganizationInvite.organization_id == organization_id, OrganizationInvite.accepted_at.is_(None))
    count = (await session.execute(select(func.count()).select_from(OrganizationInvite).where(*where))).scalar_one()
    statement = _invites().where(*where).order_by(OrganizationInvite.created_at.desc(), OrganizationInvite.id)
    return count, (await session.execute(statement.limit(limit).offset(offset))).all()


async def delete_pending(session: AsyncSession, organization_id: UUID, invite_id: UUID) -> bool:
    result = await session.execute(
        delete(OrganizationInvite).where(
            OrganizationInvite.id == invite_id,
            OrganizationInvite.organization_id == organization_id,
            OrganizationInvite.accepted_at.is_(None),
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def mark_used(session: AsyncSession, invite_id: UUID, when: datetime) -> bool:
    """Use the invitation if nobody has: one statement, so two people racing with one link cannot both join."""
    result = await session.execute(
        update(OrganizationInvite)
        .where(OrganizationInvite.id == invite_id, OrganizationInvite.accepted_at.is_(None))
        .values(accepted_at=when)
    )
    return bool(getattr(result, "rowcount", 0))


async def find_user(session: AsyncSession, email: str) -> User | None:
    statement = select(User).options(undefer(User.password_hash)).where(User.email == email)
    return (await session.execute(statement)).scalar_one_or_none()


async def is_member(session: AsyncSession, organization_id: UUID, user_id: int) -> bool:
    statement = select(OrganizationMembership.id).where(
        OrganizationMembership.organization_id == organization_id, OrganizationMembership.user_id == user_id
    )
    return (await session.execute(statement)).first() is not None


async def has_memberships(session: AsyncSession, user_id: int) -> bool:
    statement = select(OrganizationMembership.id).where(OrganizationMembership.user_id == user_id).limit(1)
    return (await session.execute(statement)).first() is not None


async def first_project(session: AsyncSession, organization_id: UUID) -> int | None:
    statement = select(Project.id).where(Project.organization_id == organization_id).order_by(Project.id).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()
