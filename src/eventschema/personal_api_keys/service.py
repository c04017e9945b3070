"""A user's own personal API keys: the same rules as `eventschema keys` (scopes from auth.scopes, labels of at
most 40 characters, project limits only to projects the user is a member of), plus one for keys made with keys:
a key never makes or widens a key beyond its own scopes and projects. Revoking a key, or changing its scopes or
projects, announces a credentials change so every server stops trusting what it remembers of it."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import service as auth_service
from eventschema.auth.keys import check_label
from eventschema.auth.principal import Principal
from eventschema.auth.scopes import validate_scopes, within
from eventschema.enforcement import changes
from eventschema.models import PersonalAPIKey
from eventschema.personal_api_keys import repository
from eventschema.personal_api_keys.schemas import PersonalAPIKeyCreate, PersonalAPIKeyUpdate

WIDER_SCOPES = "A personal API key cannot grant scopes it does not have itself."
WIDER_PROJECTS = "A personal API key limited to some projects can only make keys limited to those projects."
NO_ORGANIZATION_LIMIT = "Keys are limited to projects (scoped_teams), not to organizations; leave this empty."


def public(key: PersonalAPIKey, value: str | None = None) -> dict[str, Any]:
    return {
        "id": key.id,
        "label": key.label,
        "value": value,
        "mask_value": key.mask_value,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "scopes": key.scopes,
        "scoped_teams": key.scoped_teams,
        "scoped_organizations": None,
    }


def _scopes(principal: Principal, scopes: list[str]) -> list[str]:
    try:
        checked = validate_scopes(scopes)
    except ValueError as exc:
        raise errors.ValidationError(str(exc), attr="scopes") from None
    if not within(checked, principal.scopes):
        raise errors.ValidationError(WIDER_SCOPES, attr="scopes")
    return checked


def _projects(principal: Principal, projects: list[int] | None) -> list[int] | None:
    if principal.scoped_teams is not None and (not projects or not set(projects) <= set(principal.scoped_teams)):
        raise errors.ValidationError(WIDER_PROJECTS, attr="scoped_teams")
    return projects or None


def _organizations(organizations: list[str] | None) -> None:
    if organizations:
        raise errors.ValidationError(NO_ORGANIZATION_LIMIT, attr="scoped_organizations")


async def list_keys(
    session: AsyncSession, principal: Principal, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    return await list_user_keys(session, principal.user.id, limit, offset)


async def list_user_keys(
    session: AsyncSession, user_id: int, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    count, keys = await repository.list_keys(session, user_id, limit, offset)
    return count, [public(key) for key in keys]


async def _own(session: AsyncSession, principal: Principal, key_id: str) -> PersonalAPIKey:
    key = await repository.get_key(session, principal.user.id, key_id)
    if key is None:
        raise errors.NotFound()
    return key


async def retrieve(session: AsyncSession, principal: Principal, key_id: str) -> dict[str, Any]:
    return public(await _own(session, principal, key_id))


async def create(session: AsyncSession, principal: Principal, body: PersonalAPIKeyCreate) -> dict[str, Any]:
    _organizations(body.scoped_organizations)
    scopes = _scopes(principal, body.scopes)
    projects = _projects(principal, body.scoped_teams)
    if not body.label.strip():
        raise errors.ValidationError("This field may not be blank.", attr="label")
    created = await auth_service.create_key_for(
        session, principal.user.id, scopes=scopes, projects=projects, label=body.label
    )
    return {**(await retrieve(session, principal, created.id)), "value": created.value}


async def update(
    session: AsyncSession, principal: Principal, key_id: str, body: PersonalAPIKeyUpdate
) -> dict[str, Any]:
    await _own(session, principal, key_id)
    sent = body.changes()
    values: dict[str, Any] = {}
    if "scoped_organizations" in sent:
        _organizations(sent["scoped_organizations"])
    if "label" in sent:
        label = sent["label"]
        if not label.strip():
            raise errors.ValidationError("This field may not be blank.", attr="label")
        try:
            values["label"] = check_label(label)
        except ValueError as exc:
            raise errors.ValidationError(str(exc), attr="label") from None
    if "scopes" in sent:
        values["scopes"] = _scopes(principal, sent["scopes"])
    if "scoped_teams" in sent:
        projects = _projects(principal, sent["scoped_teams"])
        values["scoped_teams"] = await auth_service.check_projects(session, principal.user.id, projects)
    if values:
        await repository.update_key(session, principal.user.id, key_id, values)
        if "scopes" in values or "scoped_teams" in values:
            await changes.access_changed(session)
    session.expire_all()
    return await retrieve(session, principal, key_id)


async def revoke(session: AsyncSession, principal: Principal, key_id: str) -> None:
    if not await repository.delete_key(session, principal.user.id, key_id):
        raise errors.NotFound()
    await changes.access_changed(session)
