"""SQL for the current user's record."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.db import AnyRow
from eventschema.models import Project, User


async def me(session: AsyncSession, user_id: int) -> AnyRow | None:
    statement = (
        select(
            User.date_joined,
            Project.id.label("team_id"),
            Project.name.label("team_name"),
            Project.organization_id,
        )
        .outerjoin(Project, Project.id == User.current_project_id)
        .where(User.id == user_id)
    )
    return (await session.execute(statement)).first()
