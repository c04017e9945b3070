"""Authenticating personal API keys and console sessions, and creating, listing and revoking keys."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import repository
from eventschema.auth.cache import AuthCache
from eventschema.auth.keys import check_label, generate_key, hash_key, mask_key
from eventschema.auth.principal import Principal, UserBasic
from eventschema.auth.scopes import ALL_SCOPES
from eventschema.db import AnyRow
from eventschema.enforcement import changes
from eventschema.ids import random_base62
from eventschema.models import PersonalAPIKey, utcnow

LAST_USED_REFRESH = timedelta(hours=1)
# A console session's last_seen_at is refreshed at most this often.
SESSION_SEEN_REFRESH = timedelta(minutes=5)
MAX_PROJECT_ID = 2**31 - 1
SESSION_COOKIE = "eventschema_session"
SESSION_PREFIX = "session:"
MAX_SESSION_TOKEN = 200


async def authenticate(
    session: AsyncSession,
    value: str,
    source: str,
    project: repository.ProjectRef | None = None,
    cache: AuthCache | None = None,
    revision: int = 0,
) -> tuple[Principal, AnyRow]:
    """The principal of a presented key, and the row it came from (with the project's columns when asked).

    With a cache, `revision` is the credentials revision read before anything of this request (so a change
    committed in between makes what is kept stale, not wrong).
    """
    secure_value = hash_key(value)
    if cache is not None:
        found: tuple[Principal, AnyRow] | None = cache.get(secure_value, project, revision)
        if found is not None:
            return found
        generation = cache.generation
    row = await repository.find_active_key(session, secure_value, project)
    if row is None:
        raise errors.AuthenticationFailed(f"Personal API key found in request {source} is invalid.")
    principal = Principal(
        user=_user(row),
        current_project_id=row.current_project_id,
        key_id=row.key_id,
        scopes=tuple(row.scopes or ()),
        scoped_teams=tuple(row.scoped_teams) if row.scoped_teams else None,
        key_last_used_at=row.last_used_at,
    )
    if cache is not None:
        cache.put(secure_value, project, (principal, row), revision, generation)
    return principal, row


def _user(row: AnyRow) -> UserBasic:
    return UserBasic(
        id=row.id,
        uuid=row.uuid,
        distinct_id=row.distinct_id,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        is_email_verified=row.is_email_verified,
        hedgehog_config=row.hedgehog_config,
        role_at_organization=row.role_at_organization,
    )


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_session(principal: Principal) -> bool:
    return principal.key_id.startswith(SESSION_PREFIX)


def session_id_of(principal: Principal) -> str:
    return principal.key_id.removeprefix(SESSION_PREFIX)


async def authenticate_session(
    session: AsyncSession, token: str, project: repository.ProjectRef | None = None
) -> tuple[Principal, AnyRow] | None:
    """The principal of a console session cookie (None for an unknown or expired session, or an inactive user), and
    the row it came from (with the project's columns when asked, as `authenticate` gives them).

    A session acts for its user with every scope and no project limit: what the user may do is what their
    memberships allow. Its `key_id` (`session:` and the session's id) is never looked up as a key.
    """
    if not token or len(token) > MAX_SESSION_TOKEN:
        return None
    row = await repository.find_active_session(session, hash_session_token(token), utcnow(), project)
    if row is None:
        return None
    principal = Principal(
        user=_user(row),
        current_project_id=row.current_project_id,
        key_id=SESSION_PREFIX + row.session_id,
        scopes=(ALL_SCOPES,),
        scoped_teams=None,
        key_last_used_at=row.last_seen_at,
    )
    return principal, row


async def set_password_if_none(session: AsyncSession, user_id: int, password_hash: str) -> bool:
    """Give the user this password if they have none; whether they got it."""
    return await repository.set_password_if_none(session, user_id, password_hash)


async def touch_session(session: AsyncSession, session_id: str, now: datetime) -> None:
    await repository.touch_session(session, session_id, now)


def remember_use(
    cache: AuthCache | None,
    value: str,
    project: repository.ProjectRef | None,
    found: tuple[Principal, AnyRow],
    now: datetime,
) -> None:
    """The key's use is being recorded: a kept entry says so, or every request would record it again."""
    if cache is not None:
        principal, row = found
        cache.replace(hash_key(value), project, (replace(principal, key_last_used_at=now), row))


def needs_touch(principal: Principal, now: datetime) -> bool:
    """last_used_at is refreshed at most hourly (a session's last_seen_at every few minutes), so steady traffic
    does not write on every request."""
    refresh = SESSION_SEEN_REFRESH if is_session(principal) else LAST_USED_REFRESH
    return key_use_due(principal.key_last_used_at, now, refresh)


def key_use_due(last: datetime | None, now: datetime, refresh: timedelta = LAST_USED_REFRESH) -> bool:
    return last is None or now - last > refresh


async def touch(session: AsyncSession, key_id: str, now: datetime) -> None:
    await repository.touch_key(session, key_id, now)


@dataclass(frozen=True)
class CreatedKey:
    id: str
    value: str
    scopes: list[str]
    scoped_teams: list[int] | None
    label: str


NOT_A_MEMBER_OF_PROJECTS = "You must be a member of all teams that you are scoping the key to."


async def create_key(
    session: AsyncSession, *, email: str, scopes: list[str], projects: Sequence[int] | None, label: str
) -> CreatedKey:
    user = await repository.find_user_by_email(session, email)
    if user is None:
        raise errors.NotFound(f"No user with email {email!r}.")
    return await create_key_for(session, user.id, scopes=scopes, projects=projects, label=label)


async def check_projects(session: AsyncSession, user_id: int, projects: Sequence[int] | None) -> list[int] | None:
    """A key's project limit: only projects of organizations the user belongs to (PostHog's rule and message)."""
    if not projects:
        return None
    wanted = sorted(set(projects))
    # An id no project can have (project ids are positive 32-bit integers) is refused before it reaches the database.
    if (
        not 1 <= wanted[0] <= wanted[-1] <= MAX_PROJECT_ID
        or await repository.member_projects(session, user_id, wanted) != wanted
    ):
        raise errors.ValidationError(NOT_A_MEMBER_OF_PROJECTS, attr="scoped_teams")
    return wanted


async def create_key_for(
    session: AsyncSession, user_id: int, *, scopes: list[str], projects: Sequence[int] | None, label: str
) -> CreatedKey:
    """A new key of the user (scopes already validated); its value is in the answer only."""
    try:
        check_label(label)
    except ValueError as exc:
        raise errors.ValidationError(str(exc), attr="label") from None
    scoped_teams = await check_projects(session, user_id, projects)
    value = generate_key()
    key = PersonalAPIKey(
        id=random_base62(20),
        user_id=user_id,
        label=label,
        secure_value=hash_key(value),
        mask_value=mask_key(value),
        scopes=scopes,
        scoped_teams=scoped_teams,
        created_at=utcnow(),
    )
    await repository.add_key(session, key)
    return CreatedKey(id=key.id, value=value, scopes=scopes, scoped_teams=key.scoped_teams, label=key.label)


async def list_keys(session: AsyncSession) -> list[dict[str, object]]:
    return [
        {
            "id": key.id,
            "label": key.label,
            "mask_value": key.mask_value,
            "email": email,
            "scopes": key.scopes,
            "scoped_teams": key.scoped_teams,
            "created_at": key.created_at,
            "last_used_at": key.last_used_at,
        }
        for key, email in await repository.list_keys(session)
    ]


async def update_key(
    session: AsyncSession, key_id: str, *, scopes: list[str] | None, projects: Sequence[int] | None, all_projects: bool
) -> None:
    """New scopes and/or projects for a key; every server applies them from its next request."""
    values: dict[str, object] = {}
    if scopes is not None:
        values["scopes"] = scopes
    if all_projects:
        values["scoped_teams"] = None
    elif projects:
        values["scoped_teams"] = list(projects)
    if not values:
        raise errors.ValidationError("Nothing to change: give scopes or projects.")
    if not await repository.update_key(session, key_id, values):
        raise errors.NotFound(f"No personal API key with id {key_id!r}.")
    await changes.access_changed(session)


async def revoke_key(session: AsyncSession, key_id: str) -> None:
    if not await repository.delete_key(session, key_id):
        raise errors.NotFound(f"No personal API key with id {key_id!r}.")
    await changes.access_changed(session)
