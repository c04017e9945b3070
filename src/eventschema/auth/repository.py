"""SQL for personal API keys, console sessions and the users they act for."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow, AnySelect, first_row
from eventschema.models import ConsoleSession, OrganizationMembership, PersonalAPIKey, Project, User, UTCDateTime


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


def _with_project(statement: AnySelect, project: str | None) -> AnySelect:
    """`statement` (about one user) with the columns of the project it asks for, if any.

    `project` is "id" for the `project_id` parameter, "current" for the user's current project. The row then also
    carries that project's columns (prefixed `project_`, null when there is no such project) and the user's
    membership level in its organization (null for none), so a project-nested request costs one round trip for all
    of authentication and access.
    """
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


def _key_statement(project: str | None) -> AnySelect:
    """The key with that hash and its (active) owner, with the project's columns as `_with_project` adds them."""
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
    return _with_project(statement, project)


def _session_statement(project: str | None) -> AnySelect:
    """The unexpired console session with that id and its (active) user, with the same user and project columns
    as `_key_statement`: a session is checked for a project exactly as a key is."""
    statement = (
        select(
            ConsoleSession.id.label("session_id"),
            ConsoleSession.csrf_token,
            ConsoleSession.last_seen_at,
            User.current_project_id,
            *USER_BASIC_COLUMNS,
        )
        .join(User, User.id == ConsoleSession.user_id)
        .where(
            ConsoleSession.id == bindparam("session_id"),
            ConsoleSession.expires_at > bindparam("now", type_=UTCDateTime()),
            User.is_active.is_(True),
        )
    )
    return _with_project(statement, project)


# Built once: this runs on every request.
_KEY_ONLY = _key_statement(None)
_KEY_AND_PROJECT = _key_statement("id")
_KEY_AND_CURRENT_PROJECT = _key_statement("current")
_SESSIONS = {project: _session_statement(project) for project in (None, "id", "current")}


async def find_active_key(session: AsyncSession, secure_value: str, project: ProjectRef | None = None) -> AnyRow | None:
    """See `_key_statement`: `project` is an id, CURRENT, or None for the key alone."""
    if project is None:
        return await first_row(session, _KEY_ONLY, secure_value=secure_value)
    if isinstance(project, _Current):
        return await first_row(session, _KEY_AND_CURRENT_PROJECT, secure_value=secure_value)
    return await first_row(session, _KEY_AND_PROJECT, secure_value=secure_value, project_id=project)


async def find_active_session(
    session: AsyncSession, session_id: str, now: datetime, project: ProjectRef | None = None
) -> AnyRow | None:
    """See `_session_statement`: `project` is an id, CURRENT, or None for the session alone."""
    if project is None:
        return await first_row(session, _SESSIONS[None], session_id=session_id, now=now)
    if isinstance(project, _Current):
        return await first_row(session, _SESSIONS["current"], session_id=session_id, now=now)
    return await first_row(session, _SESSIONS["id"], session_id=session_id, now=now, project_id=project)


async def touch_session(session: AsyncSession, session_id: str, when: datetime) -> None:
    await session.execute(update(ConsoleSession).where(ConsoleSession.id == session_id).values(last_seen_at=when))


async def set_password_if_none(session: AsyncSession, user_id: int, password_hash: str) -> bool:
    statement = update(User).where(User.id == user_id, User.password_hash.is_(None)).values(password_hash=password_hash)
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


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


async def member_projects(session: AsyncSession, user_id: int, project_ids: Sequence[int]) -> list[int]:
    """Those of `project_ids` in organizations the user is a member of, sorted."""
    statement = (
        select(Project.id)
        .join(OrganizationMembership, OrganizationMembership.organization_id == Project.organization_id)
        .where(OrganizationMembership.user_id == user_id, Project.id.in_(project_ids))
        .order_by(Project.id)
    )
    return list((await session.execute(statement)).scalars())
