"""Inviting people into an organization, and accepting an invitation.

An invitation's token is shown once (in its link) and stored as a hash, like personal API keys. It is valid for
72 hours (PostHog's three days) and used once: accepting sets the person's password (or checks it, for someone who
already has an account with one), makes them a member at the invitation's level and gives them a personal API key.
"""

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import service as auth_service
from eventschema.auth.keys import hash_key
from eventschema.auth.passwords import check_strength, hash_password, verify_password
from eventschema.auth.principal import user_basic
from eventschema.db import AnyRow
from eventschema.enforcement import changes
from eventschema.ids import random_base62
from eventschema.invites import repository
from eventschema.invites.schemas import InviteCreate, SignupCreate
from eventschema.members.service import Actor
from eventschema.models import OrganizationInvite, OrganizationMembership, User, utcnow

VALIDITY = timedelta(hours=72)
TOKEN_LENGTH = 43
SIGNUP_PATH = "/api/signup/{token}/"


@dataclass(frozen=True)
class CreatedInvite:
    invite: dict[str, Any]
    token: str
    link: str
    organization_name: str


def invite_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + SIGNUP_PATH.format(token=token)


def invite_dict(row: AnyRow) -> dict[str, Any]:
    created_by = user_basic(row)
    return {
        "id": row.invite_id,
        "target_email": row.target_email,
        "first_name": row.invite_first_name,
        "emailing_attempt_made": row.emailing_attempt_made,
        "level": row.level,
        "is_expired": row.expires_at <= utcnow(),
        "created_by": created_by,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
    }


async def create(
    session: AsyncSession,
    organization_id: UUID,
    data: InviteCreate,
    actor: Actor | None,
    *,
    base_url: str,
    emailing: bool,
) -> CreatedInvite:
    """A new invitation (replacing the person's earlier ones to this organization), and its link."""
    if actor is not None and data.level > actor.level:
        raise errors.PermissionDenied("You can only invite people at or below your own level.")
    user = await repository.find_user(session, data.target_email)
    if user is not None and await repository.is_member(session, organization_id, user.id):
        raise errors.ValidationError(
            "A user with this email address already belongs to the organization.",
            code="user_already_member",
            attr="target_email",
        )
    await repository.drop_pending(session, organization_id, data.target_email)
    token = random_base62(TOKEN_LENGTH)
    now = utcnow()
    invite = OrganizationInvite(
        organization_id=organization_id,
        target_email=data.target_email,
        first_name=data.first_name,
        level=data.level,
        token_hash=hash_key(token),
        created_by_id=actor.user_id if actor is not None else None,
        created_at=now,
        expires_at=now + VALIDITY,
        emailing_attempt_made=emailing,
    )
    await repository.add(session, invite)
    row = await repository.find(session, invite.id)
    assert row is not None
    return CreatedInvite(
        invite=invite_dict(row),
        token=token,
        link=invite_link(base_url, token),
        organization_name=row.organization_name,
    )


async def list_pending(
    session: AsyncSession, organization_id: UUID, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    count, rows = await repository.list_pending(session, organization_id, limit, offset)
    return count, [invite_dict(row) for row in rows]


async def cancel(session: AsyncSession, organization_id: UUID, invite_id: UUID) -> None:
    if not await repository.delete_pending(session, organization_id, invite_id):
        raise errors.NotFound()


async def _valid(session: AsyncSession, token: str) -> AnyRow:
    """The invitation a token opens: refused when forged, used or expired."""
    row = await repository.find_by_token(session, hash_key(token))
    if row is None:
        raise errors.ValidationError("This invite link is not valid.", code="invalid_invite")
    if row.accepted_at is not None:
        raise errors.ValidationError("This invite has already been used.", code="invalid_invite")
    if row.expires_at <= utcnow():
        raise errors.ValidationError("This invite has expired; ask for a new one.", code="expired_invite")
    return row


async def describe(session: AsyncSession, token: str) -> dict[str, Any]:
    """What the person invited sees before accepting."""
    row = await _valid(session, token)
    return {
        "id": row.invite_id,
        "target_email": row.target_email,
        "first_name": row.invite_first_name,
        "organization_name": row.organization_name,
        "level": row.level,
        "expires_at": row.expires_at,
    }


async def _account(session: AsyncSession, invite: AnyRow, data: SignupCreate) -> User:
    """The invited person's user: made with the password, or an existing one whose password matches."""
    user = await repository.find_user(session, invite.target_email)
    if user is not None and user.password_hash is not None:
        if not await asyncio.to_thread(verify_password, user.password_hash, data.password):
            raise errors.ValidationError(
                "This email address already has an account: enter its password.",
                code="wrong_password",
                attr="password",
            )
        return user
    if user is not None and await repository.has_memberships(session, user.id):
        # Whoever holds the link (the inviter too, when no email is sent) would otherwise become this user in
        # their other organizations.
        raise errors.ValidationError(
            "This email address already has an account without a password: have one set "
            "(`eventschema users set-password`), then accept with it.",
            code="password_not_set",
            attr="password",
        )
    try:
        check_strength(data.password)
    except ValueError as exc:
        raise errors.ValidationError(str(exc), attr="password") from None
    password_hash = await asyncio.to_thread(hash_password, data.password)
    if user is None:
        user = User(
            email=invite.target_email,
            distinct_id=random_base62(32),
            first_name=data.first_name or invite.invite_first_name,
            last_name=data.last_name,
            is_email_verified=invite.emailing_attempt_made,
        )
        await repository.add(session, user)
    user.password_hash = password_hash
    return user


async def accept(session: AsyncSession, token: str, data: SignupCreate) -> dict[str, Any]:
    """Join the organization; the answer carries a new personal API key with scope '*', shown once (it acts
    with the level the invitation gave, as every key acts with its user's)."""
    invite = await _valid(session, token)
    user = await _account(session, invite, data)
    if not await repository.mark_used(session, invite.invite_id, utcnow()):
        raise errors.ValidationError("This invite has already been used.", code="invalid_invite")
    if not await repository.is_member(session, invite.organization_id, user.id):
        membership = OrganizationMembership(organization_id=invite.organization_id, user_id=user.id, level=invite.level)
        await repository.add(session, membership)
    if user.current_project_id is None:
        user.current_project_id = await repository.first_project(session, invite.organization_id)
    await session.flush()
    key = await auth_service.create_key(session, email=user.email, scopes=["*"], projects=None, label="invite")
    await changes.access_changed(session)
    return {
        "id": user.id,
        "uuid": user.uuid,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organization": {"id": invite.organization_id, "name": invite.organization_name},
        "level": invite.level,
        "personal_api_key": key.value,
    }
