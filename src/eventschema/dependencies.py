"""FastAPI dependencies shared by every router: settings, the session, the principal, the project.

Each API route declares the scope object it needs through `project_access(...)`, `organization_access(...)` or
`scoped(...)`; `check_route_scopes` refuses to start an app with an /api/ route that declares none. The same
dependencies then check the route's right (`auth.rights.ROUTE_RIGHTS`) against the user's level in the
organization concerned; `check_route_rights` refuses to start an app with a route that has no right.
"""

import hmac
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import service as auth_service
from eventschema.auth.cache import AuthCache
from eventschema.auth.principal import Principal
from eventschema.auth.ratelimit import FailedAttempts, RateLimiter
from eventschema.auth.repository import ProjectRef
from eventschema.auth.rights import ROUTE_RIGHTS, Right, allows, route_key
from eventschema.auth.scopes import READ_METHODS, grants, needed_scope
from eventschema.bodies import read_body
from eventschema.caching.responses import ResponseCache
from eventschema.caching.revisions import Snapshot, request_snapshot
from eventschema.db import AnyRow, Database
from eventschema.history import recorder as history
from eventschema.members import service as members_service
from eventschema.models import utcnow
from eventschema.projects import service as projects_service
from eventschema.settings import Settings

KEY_FIELD = "personal_api_key"
LEVEL_TOO_LOW = "Your organization access level is insufficient for this action."
TOUCH_KEY_STATE = "touch_key_id"
TOUCH_SESSION_STATE = "touch_console_session_id"
ANSWERED_FOR_STATE = "answered_for"
CSRF_HEADER = "x-csrf-token"
CSRF_FAILED = "CSRF Failed: CSRF token missing or incorrect."
MALFORMED_HEADER = "Authorization header must be 'Bearer <personal API key>'."
DATABASE_ERRORS = (SQLAlchemyError, OSError)
logger = logging.getLogger(__name__)


async def get_settings(request: Request) -> Settings:
    # Dependencies are coroutines on purpose: FastAPI runs plain functions in a thread pool.
    return request.app.state.settings  # type: ignore[no-any-return]


def get_database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session; the handler commits, anything else rolls back."""
    database = get_database(request)
    session = database.session(write=request.method not in READ_METHODS)
    try:
        yield session
    finally:
        await session.close()
        key_id = getattr(request.state, TOUCH_KEY_STATE, None)
        if key_id is not None:
            await record_key_use(database, key_id)
        session_id = getattr(request.state, TOUCH_SESSION_STATE, None)
        if session_id is not None:
            await _touch_session(database, session_id)


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_responses(request: Request) -> ResponseCache:
    return request.app.state.responses  # type: ignore[no-any-return]


ResponsesDep = Annotated[ResponseCache, Depends(get_responses)]
# Ended when the handler returns, before the response is sent: the connection goes back to the pool
# without waiting for the client, so a worker needs no more connections than requests in its handlers.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def _presented_key(request: Request) -> tuple[str, str] | None:
    """The key and where it was found: the Authorization header, the body, then the query string.

    A malformed Authorization header is reported only when no other source has a key, so the sources keep
    PostHog's order; before, it read as "no credentials" and left the user guessing.
    """
    header = request.headers.get("authorization", "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), "Authorization header"
    if request.method not in READ_METHODS:
        body_value = (await read_body(request)).get(KEY_FIELD)
        if isinstance(body_value, str) and body_value:
            return body_value, "body"
    query_value = request.query_params.get(KEY_FIELD)
    if query_value:
        return query_value, "query string"
    if header:
        raise errors.AuthenticationFailed(MALFORMED_HEADER)
    return None


def client_address(request: Request) -> str:
    """The address failed authentications are counted against: behind a trusted proxy, the one it appended
    to X-Forwarded-For (what the client wrote before it could be anything)."""
    if request.app.state.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    client = request.scope.get("client")
    return str(client[0]) if client else ""


async def snapshot(request: Request, project_id: int | None = None) -> Snapshot:
    """The revisions this request's kept data is checked against (`caching.revisions`), read once per request."""
    return await request_snapshot(request.scope.setdefault("state", {}), request.app.state.revisions, project_id)


async def _authenticate(
    request: Request, session: AsyncSession, project: ProjectRef | None = None
) -> tuple[Principal, AnyRow]:
    attempts: FailedAttempts | None = request.app.state.failed_attempts
    address = ""
    if attempts is not None:
        address = client_address(request)
        wait = attempts.wait(address)
        if wait:
            raise errors.Throttled(wait)
    try:
        presented = await _presented_key(request)
        if presented is None:
            return await _authenticate_session(request, session, project)
        cache: AuthCache | None = request.app.state.auth_cache
        revision = 0
        if cache is not None:
            revision = (await snapshot(request, project if isinstance(project, int) else None)).credentials
        principal, row = await auth_service.authenticate(
            session, *presented, project=project, cache=cache, revision=revision
        )
    except errors.AuthenticationFailed:
        if attempts is not None:
            attempts.failed(address)
        raise
    session.info[history.ACTOR] = principal.user
    limiter: RateLimiter | None = request.app.state.rate_limiter
    if limiter is not None:
        wait = limiter.check(principal.key_id)
        if wait:
            raise errors.Throttled(wait)
    now = utcnow()
    last_used_at = principal.key_last_used_at
    if auth_service.needs_touch(principal, now):
        setattr(request.state, TOUCH_KEY_STATE, principal.key_id)
        auth_service.remember_use(cache, presented[0], project, (principal, row), now)
        last_used_at = now
    # For `caching.answers`, which keeps the answer under this key.
    setattr(request.state, ANSWERED_FOR_STATE, (principal.key_id, last_used_at))
    return principal, row


async def _authenticate_session(
    request: Request, session: AsyncSession, project: ProjectRef | None
) -> tuple[Principal, AnyRow]:
    """A request with no key may carry the console's session cookie (the console calls the API this way); its
    writes must then carry the session's CSRF token in X-CSRF-Token, which another site's page cannot read."""
    token = request.cookies.get(auth_service.SESSION_COOKIE)
    found = await auth_service.authenticate_session(session, token, project) if token else None
    if found is None:
        raise errors.NotAuthenticated()
    principal, row = found
    if request.method not in READ_METHODS and not csrf_matches(request.headers.get(CSRF_HEADER), row.csrf_token):
        raise errors.PermissionDenied(CSRF_FAILED)
    session.info[history.ACTOR] = principal.user
    if auth_service.needs_touch(principal, utcnow()):
        setattr(request.state, TOUCH_SESSION_STATE, auth_service.session_id_of(principal))
    return principal, row


def csrf_matches(presented: str | None, expected: str) -> bool:
    return bool(presented) and hmac.compare_digest(str(presented).encode(), expected.encode())


async def get_principal(request: Request, session: SessionDep) -> Principal:
    principal, _row = await _authenticate(request, session)
    return principal


async def record_key_use(database: Database, key_id: str) -> None:
    """Record the key's use in its own transaction, after the request's: PostHog records every
    authenticated use, even of a request that then fails, and SQLite allows one writer at a time."""
    try:
        async with database.session(write=True) as session:
            await auth_service.touch(session, key_id, utcnow())
            await session.commit()
    except DATABASE_ERRORS as exc:
        logger.warning("could not record the use of key %s: %s", key_id, exc)


async def _touch_session(database: Database, session_id: str) -> None:
    """Record when a console session was last seen, in its own transaction (as `record_key_use`)."""
    try:
        async with database.session(write=True) as session:
            await auth_service.touch_session(session, session_id, utcnow())
            await session.commit()
    except DATABASE_ERRORS as exc:
        logger.warning("could not record the use of a console session: %s", exc)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def _require_scope(principal: Principal, scope_object: str, method: str) -> None:
    needed = needed_scope(scope_object, method)
    if not grants(principal.scopes, needed):
        raise errors.PermissionDenied(f"API key missing required scope '{needed}'")


def _require_right(request: Request, level: int | None) -> None:
    """The route's right, held by a member of `level` in the organization the request concerns."""
    rights: dict[tuple[int, str], Right] = getattr(request.app.state, "route_rights", {})
    right = rights.get((id(request.scope.get("route")), request.method))
    if right is None or not allows(level, right):
        # An app without the start-up check knows no rights: refuse rather than guess.
        raise errors.PermissionDenied(LEVEL_TOO_LOW)


@dataclass(frozen=True, slots=True)
class ProjectContext:
    id: int
    project: projects_service.ProjectRow
    principal: Principal


@dataclass(frozen=True, slots=True)
class OrganizationContext:
    id: UUID
    level: int
    principal: Principal


Dependency = Callable[..., Coroutine[Any, Any, Any]]


def scoped(scope_object: str) -> Dependency:
    """A dependency giving the principal after checking it has `<scope_object>:read|write` (for routes about the
    user themselves, whose right needs no membership)."""

    async def dependency(request: Request, principal: PrincipalDep) -> Principal:
        _require_scope(principal, scope_object, request.method)
        _require_right(request, None)
        return principal

    dependency.scope_object = scope_object  # type: ignore[attr-defined]
    return dependency


def project_access(scope_object: str, *, reads: bool = False) -> Dependency:
    """A dependency giving the URL's project after the scope, project and membership checks.

    `reads` marks a POST that only reads (such as validating events), so `:read` is enough for it.
    """

    async def dependency(request: Request, project_id: str, session: SessionDep) -> ProjectContext:
        ref = projects_service.project_ref(project_id)
        principal, row = await _authenticate(request, session, ref)
        _require_scope(principal, scope_object, "GET" if reads else request.method)
        if ref is None:
            raise errors.project_not_found()
        project = projects_service.check_access(principal, row)
        _require_right(request, row.project_level)
        return ProjectContext(id=project.id, project=project, principal=principal)

    dependency.scope_object = scope_object  # type: ignore[attr-defined]
    return dependency


def organization_access(scope_object: str) -> Dependency:
    """A dependency giving the URL's organization (an id or `@current`) and the user's level in it, after the
    scope, membership and right checks."""

    async def dependency(request: Request, organization_id: str, session: SessionDep) -> OrganizationContext:
        principal, _row = await _authenticate(request, session)
        _require_scope(principal, scope_object, request.method)
        found = await members_service.resolve_organization(session, principal, organization_id)
        _require_right(request, found.level)
        return OrganizationContext(id=found.id, level=found.level, principal=principal)

    dependency.scope_object = scope_object  # type: ignore[attr-defined]
    return dependency


def _declares_scope(dependant: Dependant) -> bool:
    pending = [dependant]
    while pending:
        current = pending.pop()
        if getattr(current.call, "scope_object", None):
            return True
        pending.extend(current.dependencies)
    return False


def check_route_scopes(app: FastAPI, public_paths: frozenset[str]) -> None:
    """Every /api/ route must declare the scope it needs; a route without one is a start-up error.

    Routes of included routers are reached through their route contexts, which carry the full path.
    """
    missing = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        if not isinstance(route, APIRoute) or not path.startswith("/api/") or path in public_paths:
            continue
        if not _declares_scope(route.dependant):
            missing.append(path)
    if missing:
        raise RuntimeError(f"API routes without a declared scope: {', '.join(sorted(missing))}")


def check_route_rights(app: FastAPI, table: dict[str, Right] = ROUTE_RIGHTS) -> None:
    """Every /api/ route, and every route that authenticates a user, must have its right in `table`; a right
    other than PUBLIC must be on a route that authenticates (or nobody would check it), and PUBLIC on one that
    does not. Any such mistake, and any entry of `table` naming no route, is a start-up error. The rights are
    kept on the app for `_require_right`, by route object (the one routing puts in the request's scope)."""
    rights: dict[tuple[int, str], Right] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        path = context.path or ""
        authenticates = _declares_scope(route.dependant)
        if not path.startswith("/api/") and not authenticates:
            continue
        for method in sorted(context.methods or ()):
            key = route_key(method, path)
            right = table.get(key)
            seen.add(key)
            if right is None:
                problems.append(f"{key} has no right")
            elif (right == Right.PUBLIC) == authenticates:
                problems.append(f"{key} is {right} but {'authenticates' if authenticates else 'authenticates nobody'}")
            elif rights.setdefault((id(route), method), right) != right:
                problems.append(f"{key} is a route also served elsewhere with another right")
    problems.extend(f"{key} names no route" for key in sorted(set(table) - seen))
    if problems:
        raise RuntimeError(f"Route rights (auth/rights.py): {'; '.join(problems)}")
    app.state.route_rights = rights
