"""The current user, as PostHog's /api/users/@me/ shows the basics of it, with their organizations and level in
each (`membership_level`: 1 member, 8 admin, 15 owner)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth.principal import Principal
from eventschema.members import service as members_service
from eventschema.users import repository


async def me(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    row = await repository.me(session, principal.user.id)
    if row is None:
        raise errors.NotFound()
    user = principal.user.public_dict()
    team = {"id": row.team_id, "name": row.team_name} if row.team_id is not None else None
    organizations = await members_service.organizations_of(session, principal.user.id)
    return {
        **user,
        "date_joined": row.date_joined,
        "team": team,
        "organization": row.organization_id,
        "organizations": organizations,
    }
