"""SQL for a user's own personal API keys."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.models import PersonalAPIKey


async def list_keys(
    session: AsyncSession, user_id: int, limit: int, offset: int
) -> tuple[int, Sequence[PersonalAPIKey]]:
    mine = PersonalAPIKey.user_id == user_id
    count = (await session.execute(select(func.count()).select_from(PersonalAPIKey).where(mine))).scalar_one()
    statement = (
        select(PersonalAPIKey)
        .where(mine)
        .order_by(PersonalAPIKey.created_at.desc(), PersonalAPIKey.id)
        .limit(limit)
        .offset(offset)
    )
    return count, (await session.execute(statement)).scalars().all()


async def get_key(session: AsyncSession, user_id: int, key_id: str) -> PersonalAPIKey | None:
    statement = select(PersonalAPIKey).where(PersonalAPIKey.user_id == user_id, PersonalAPIKey.id == key_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def update_key(session: AsyncSession, user_id: int, key_id: str, values: dict[str, Any]) -> None:
    statement = update(PersonalAPIKey).where(PersonalAPIKey.user_id == user_id, PersonalAPIKey.id == key_id)
    await session.execute(statement.values(**values))


async def delete_key(session: AsyncSession, user_id: int, key_id: str) -> bool:
    statement = delete(PersonalAPIKey).where(PersonalAPIKey.user_id == user_id, PersonalAPIKey.id == key_id)
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))
