"""SQL for personal API keys and the users that own them."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect, first_row
from eventschema.models import OrganizationMembership, PersonalAPIKey, Project, User


class _Current:
    """The key owner's current project (`@current` in URLs)."""


CURRENT = _Current()
ProjectRef = int | _Current

USER_BASIC_COLUMNS = (
    User.id,
    User.uuid,
    User.distinct_id,
    User.first_name,
    User.last_name,
    User.email,
    User.is_email_verified,
    User.hedgehog_config,
    User.role_at_organization,
)


def _key_statement(project: str | None) -> AnySelect:
    """The key with that hash and its (active) owner.

    With `project` ("id" for the `project_id` parameter, "current" for the owner's current project)
    the row also carries that project's columns (prefixed `project_`, null when there is no such
    project) and the owner's membership level in its organization (null for none), so a project-nested request costs
    one round trip for all of authentication and access.
    """
    statement = (
        select(
            PersonalAPIKey.id.label("key_id"),
            PersonalAPIKey.scopes,
            PersonalAPIKey.scoped_teams,
            PersonalAPIKey.last_used_at,
            User.current_project_id,
            *USER_BASIC_COLUMNS,
        )
        .join(User, User.id == PersonalAPIKey.user_id)
        .where(PersonalAPIKey.secure_value == bindparam("secure_value"), User.is_active.is_(True))
    )
    if project is None:
        return statement
    wanted = User.current_project_id if project == "current" else bindparam("project_id", type_=Integer)
    level = (
        select(OrganizationMembership.level)
        .where(
            OrganizationMembership.organization_id == Project.organization_id,
            OrganizationMembership.user_id == User.id,
        )
        .scalar_subquery()
        .label("project_level")
    )
    return statement.add_columns(
        Project.id.label("project_id"),
        Project.organization_id.label("project_organization_id"),
        Project.name.label("project_name"),
        Project.api_token.label("project_api_token"),
        Project.created_at.label("project_created_at"),
        level,
    ).outerjoin(Project, Project.id == wanted)


# Built once: this runs on every request.
_KEY_ONLY = _key_statement(None)
_KEY_AND_PROJECT = _key_statement("id")
_KEY_AND_CURRENT_PROJECT = _key_statement("current")


async def find_active_key(session: AsyncSession, secure_value: str, project: ProjectRef | None = None) -> AnyRow | None:
    """See `_key_statement`: `project` is an id, CURRENT, or None for the key alone."""
    if project is None:
        return await first_row(session, _KEY_ONLY, secure_value=secure_value)
    if isinstance(project, _Current):
        return await first_row(session, _KEY_AND_CURRENT_PROJECT, secure_value=secure_value)
    return await first_row(session, _KEY_AND_PROJECT, secure_value=secure_value, project_id=project)


async def touch_key(session: AsyncSession, key_id: str, when: datetime) -> None:
    await session.execute(update(PersonalAPIKey).where(PersonalAPIKey.id == key_id).values(last_used_at=when))


async def add_key(session: AsyncSession, key: PersonalAPIKey) -> PersonalAPIKey:
    session.add(key)
    await session.flush()
    return key


async def list_keys(session: AsyncSession) -> Sequence[AnyRow]:
    statement = (
        select(PersonalAPIKey, User.email)
        .join(User, User.id == PersonalAPIKey.user_id)
        .order_by(PersonalAPIKey.created_at)
    )
    return (await session.execute(statement)).all()


async def delete_key(session: AsyncSession, key_id: str) -> bool:
    result = await session.execute(delete(PersonalAPIKey).where(PersonalAPIKey.id == key_id))
    return bool(getattr(result, "rowcount", 0))


async def update_key(session: AsyncSession, key_id: str, values: dict[str, Any]) -> bool:
    result = await session.execute(update(PersonalAPIKey).where(PersonalAPIKey.id == key_id).values(values))
    return bool(getattr(result, "rowcount", 0))


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()
