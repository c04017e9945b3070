"""SQL for console sessions and signing in (looking a session up is `auth.repository.find_active_session`)."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import ConsoleSession, User


async def user_for_sign_in(session: AsyncSession, email: str) -> AnyRow | None:
    """(id, password_hash) of the active user with that email."""
    statement = select(User.id, User.password_hash).where(User.email == email, User.is_active.is_(True))
    return (await session.execute(statement)).first()


async def add(session: AsyncSession, console_session: ConsoleSession) -> None:
    session.add(console_session)
    await session.flush()


async def delete_session(session: AsyncSession, session_id: str) -> None:
    await session.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))


async def delete_expired(session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(
        delete(ConsoleSession).where(ConsoleSession.user_id == user_id, ConsoleSession.expires_at <= now)
    )
