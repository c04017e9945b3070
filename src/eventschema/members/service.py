"""Who may change whose membership, and how: PostHog's rules.

An actor is a member acting through the API; the command line acts as nobody in particular (`actor=None`) and
is held only to the organization's own rule: it keeps at least one owner. Every change announces a credentials
change, so servers stop trusting what they remember of the keys involved (see `auth.cache`).
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth.principal import Principal, user_basic
from eventschema.auth.rights import Level, Right, allows
from eventschema.db import AnyRow
from eventschema.enforcement import changes
from eventschema.members import repository
from eventschema.models import utcnow

CURRENT_ORGANIZATION = "@current"
LAST_OWNER = "An organization must keep at least one owner."


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    level: int


@dataclass(frozen=True, slots=True)
class FoundOrganization:
    id: UUID
    level: int


def organization_not_found() -> errors.NotFound:
    return errors.NotFound("Organization not found.")


async def resolve_organization(session: AsyncSession, principal: Principal, raw: str) -> FoundOrganization:
    """The organization a URL names (an id or `@current`) and the principal's level in it: 404, then 403."""
    if raw == CURRENT_ORGANIZATION:
        row = await repository.current_organization(session, principal.user.id, principal.current_project_id)
        if row is None:
            raise organization_not_found()
        return FoundOrganization(id=row.id, level=row.level)
    try:
        organization_id = UUID(raw)
    except ValueError:
        raise organization_not_found() from None
    row = await repository.organization_level(session, organization_id, principal.user.id)
    if row is None:
        raise organization_not_found()
    if row.level is None:
        raise errors.PermissionDenied("You don't have access to the organization.")
    return FoundOrganization(id=row.id, level=row.level)


async def default_organization(session: AsyncSession) -> UUID:
    """The command line's organization: the first one made (by `bootstrap`)."""
    row = await repository.first_organization(session)
    if row is None:
        raise errors.NotFound("There is no organization yet; run `eventschema bootstrap` first.")
    return row.id  # type: ignore[no-any-return]


def member_dict(row: AnyRow) -> dict[str, Any]:
    user = user_basic(row)
    return {
        "id": row.membership_id,
        "user": user,
        "level": row.level,
        "joined_at": row.joined_at,
        "updated_at": row.updated_at,
    }


async def list_members(
    session: AsyncSession, organization_id: UUID, limit: int | None, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    count, rows = await repository.list_members(session, organization_id, limit, offset)
    return count, [member_dict(row) for row in rows]


def _check_actor(actor: Actor, target: AnyRow, new_level: int | None = None) -> None:
    """PostHog's rules for a member acting on a membership (their own, or someone else's)."""
    if target.user_id == actor.user_id:
        if new_level is not None:
            raise errors.PermissionDenied("You can't change your own access level.")
        return  # leaving
    if not allows(actor.level, Right.MANAGE_MEMBERS):
        raise errors.PermissionDenied("You can only edit others if you are an admin.")
    if target.level > actor.level:
        raise errors.PermissionDenied("You can only edit others with level lower or equal to you.")
    if new_level is not None and new_level > actor.level:
        raise errors.PermissionDenied(
            "You can only change access level of others to lower or equal to your current one."
        )


async def _member(session: AsyncSession, organization_id: UUID, user_uuid: UUID) -> AnyRow:
    row = await repository.find_member(session, organization_id, user_uuid)
    if row is None:
        raise errors.NotFound()
    return row


async def _keep_an_owner(session: AsyncSession, organization_id: UUID, target: AnyRow) -> None:
    if target.level == Level.OWNER and await repository.lock_owners(session, organization_id) <= 1:
        raise errors.ValidationError(LAST_OWNER, code="last_owner")


async def change_level(
    session: AsyncSession, organization_id: UUID, user_uuid: UUID, level: int | None, actor: Actor | None
) -> dict[str, Any]:
    target = await _member(session, organization_id, user_uuid)
    if actor is not None:
        _check_actor(actor, target, level)
    if level is None or level == target.level:
        return member_dict(target)
    if level < target.level:
        await _keep_an_owner(session, organization_id, target)
    await repository.set_level(session, target.membership_id, level, utcnow())
    await changes.access_changed(session)
    return member_dict(await _member(session, organization_id, user_uuid))


async def remove(session: AsyncSession, organization_id: UUID, user_uuid: UUID, actor: Actor | None) -> None:
    """Take the user out of the organization, revoke their personal API keys and sign them out of the console."""
    target = await _member(session, organization_id, user_uuid)
    if actor is not None:
        _check_actor(actor, target)
    await _keep_an_owner(session, organization_id, target)
    await repository.delete_membership(session, target.membership_id)
    await repository.delete_keys_of(session, target.user_id)
    await repository.delete_sessions_of(session, target.user_id)
    await repository.leave_current_project(session, target.user_id, organization_id)
    await changes.access_changed(session)


async def find_by_email(session: AsyncSession, organization_id: UUID, email: str) -> AnyRow:
    row = await repository.find_member_by_email(session, organization_id, email)
    if row is None:
        raise errors.NotFound(f"No member with email {email!r}.")
    return row


async def organizations_of(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    return [
        {"id": row.id, "name": row.name, "membership_level": row.membership_level}
        for row in await repository.organizations_of(session, user_id)
    ]
