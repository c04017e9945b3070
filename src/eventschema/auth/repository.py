"""SQL for personal API keys and the users that own them."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import PersonalAPIKey, User

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


async def find_active_key(session: AsyncSession, secure_value: str) -> AnyRow | None:
    """The key with that hash, joined with its (active) owner, in one statement."""
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
        .where(PersonalAPIKey.secure_value == secure_value, User.is_active.is_(True))
    )
    return (await session.execute(statement)).first()


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


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()
