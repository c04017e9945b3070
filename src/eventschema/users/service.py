"""The current user, as PostHog's /api/users/@me/ shows the basics of it, with their organizations and level in
each (`membership_level`: 1 member, 8 admin, 15 owner); renaming a user."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import repository as auth_repository
from eventschema.auth.principal import Principal
from eventschema.enforcement import changes
from eventschema.members import service as members_service
from eventschema.property_groups import repository as groups_repository
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


async def rename(session: AsyncSession, email: str, first_name: str | None, last_name: str | None) -> None:
    """New names for a user, shown by the next request on every server: wherever the user is shown as a group's
    `created_by` (the groups' revisions and their projects' schema versions move) and as a key's owner (a
    credentials change)."""
    user = await auth_repository.find_user_by_email(session, email)
    if user is None:
        raise errors.NotFound(f"No user with email {email!r}.")
    if first_name is None and last_name is None:
        raise errors.ValidationError("Nothing to change: give a first or last name.")
    if first_name is not None:
        user.first_name = first_name
    if last_name is not None:
        user.last_name = last_name
    await session.flush()
    for project_id in await groups_repository.bump_groups_created_by(session, user.id):
        await changes.schema_changed(session, project_id)
    await changes.access_changed(session)
