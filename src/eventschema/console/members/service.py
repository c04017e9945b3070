"""What the Members page shows: the organization's members with their levels, its pending invitations, and for
each member what the signed-in user may do to them under `members.service`'s rules (the API checks them again):
nobody changes their own level; an admin or owner changes and removes members at or below their own level and
gives at most their own level; anyone may leave."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth.rights import LEVEL_NAMES, Right, allows
from eventschema.invites import service as invites_service
from eventschema.members import service as members_service

# An organization of a few hundred people shows them all; invitations pending at once are fewer.
MAX_MEMBERS = 1000
MAX_INVITES = 200


@dataclass(frozen=True, slots=True)
class MemberRow:
    member: dict[str, Any]
    level_name: str
    is_self: bool
    # The levels the user may give this member (empty: none; their level cannot be changed by the user).
    levels: Sequence[tuple[int, str]]
    may_remove: bool


@dataclass(frozen=True, slots=True)
class Members:
    rows: Sequence[MemberRow]
    total: int
    invites: Sequence[dict[str, Any]]
    # The levels the user may invite at (empty: they may not invite).
    invite_levels: Sequence[tuple[int, str]]


_NAMES = {int(value): name for value, name in LEVEL_NAMES.items()}


def level_name(level: int) -> str:
    return _NAMES.get(level, str(level))


def _levels_up_to(level: int) -> list[tuple[int, str]]:
    return [(int(value), name) for value, name in LEVEL_NAMES.items() if value <= level]


def _row(member: dict[str, Any], user_id: int, level: int) -> MemberRow:
    is_self = member["user"]["id"] == user_id
    manages = allows(level, Right.MANAGE_MEMBERS) and not is_self and member["level"] <= level
    return MemberRow(
        member=member,
        level_name=level_name(member["level"]),
        is_self=is_self,
        levels=_levels_up_to(level) if manages else [],
        may_remove=is_self or manages,
    )


async def members(session: AsyncSession, organization_id: UUID, user_id: int, level: int) -> Members:
    total, found = await members_service.list_members(session, organization_id, MAX_MEMBERS, 0)
    _count, invites = await invites_service.list_pending(session, organization_id, MAX_INVITES, 0)
    return Members(
        rows=[_row(member, user_id, level) for member in found],
        total=total,
        invites=invites,
        invite_levels=_levels_up_to(level) if allows(level, Right.MANAGE_MEMBERS) else [],
    )
