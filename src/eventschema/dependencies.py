"""FastAPI dependencies shared by every router: settings, the session, the principal, the project.

Each API route declares the scope object it needs through `project_access(...)` or `scoped(...)`;
`check_route_scopes` refuses to start an app with an /api/ route that declares none.
"""

from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import service as auth_service
from eventschema.auth.principal import Principal
from eventschema.auth.ratelimit import RateLimiter
from eventschema.auth.repository import ProjectRef
from eventschema.auth.scopes import READ_METHODS, grants, needed_scope
from eventschema.bodies import read_body
from eventschema.db import AnyRow, Database
from eventschema.models import utcnow
from eventschema.projects import service as projects_service
from eventschema.settings import Settings

KEY_FIELD = "personal_api_key"


async def get_settings(request: Request) -> Settings:
    # Dependencies are coroutines on purpose: FastAPI runs plain functions in a thread pool.
    return request.app.state.settings  # type: ignore[no-any-return]


def get_database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session; the handler commits, anything else rolls back."""
    session = get_database(request).session(write=request.method not in READ_METHODS)
    try:
        yield session
    finally:
        await session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def _presented_key(request: Request) -> tuple[str, str] | None:
    """The key and where it was found: the Authorization header, the body, then the query string."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), "Authorization header"
    if request.method not in READ_METHODS:
        body_value = (await read_body(request)).get(KEY_FIELD)
        if isinstance(body_value, str) and body_value:
            return body_value, "body"
    query_value = request.query_params.get(KEY_FIELD)
    if query_value:
        return query_value, "query string"
    return None


async def _authenticate(
    request: Request, session: AsyncSession, project: ProjectRef | None = None
) -> tuple[Principal, AnyRow]:
    presented = await _presented_key(request)
    if presented is None:
        raise errors.NotAuthenticated()
    principal, row = await auth_service.authenticate(session, *presented, project=project)
    limiter: RateLimiter | None = request.app.state.rate_limiter
    if limiter is not None:
        wait = limiter.check(principal.key_id)
        if wait:
            raise errors.Throttled(wait)
    if auth_service.needs_touch(principal, utcnow()):
        await _touch_key(request, session, principal.key_id)
    return principal, row


async def get_principal(request: Request, session: SessionDep) -> Principal:
    principal, _row = await _authenticate(request, session)
    return principal


async def _touch_key(request: Request, session: AsyncSession, key_id: str) -> None:
    if request.method not in READ_METHODS:
        await auth_service.touch(session, key_id, utcnow())  # committed with the request
        return
    async with get_database(request).session(write=True) as touch_session:
        await auth_service.touch(touch_session, key_id, utcnow())
        await touch_session.commit()


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def _require_scope(principal: Principal, scope_object: str, method: str) -> None:
    needed = needed_scope(scope_object, method)
    if not grants(principal.scopes, needed):
        raise errors.PermissionDenied(f"API key missing required scope '{needed}'")


@dataclass(frozen=True, slots=True)
class ProjectContext:
    id: int
    project: projects_service.ProjectRow
    principal: Principal


Dependency = Callable[..., Coroutine[Any, Any, Any]]


def scoped(scope_object: str) -> Dependency:
    """A dependency giving the principal after checking it has `<scope_object>:read|write`."""

    async def dependency(request: Request, principal: PrincipalDep) -> Principal:
        _require_scope(principal, scope_object, request.method)
        return principal

    dependency.scope_object = scope_object  # type: ignore[attr-defined]
    return dependency


def project_access(scope_object: str) -> Dependency:
    """A dependency giving the URL's project after the scope, project and membership checks."""

    async def dependency(request: Request, project_id: str, session: SessionDep) -> ProjectContext:
        ref = projects_service.project_ref(project_id)
        principal, row = await _authenticate(request, session, ref)
        _require_scope(principal, scope_object, request.method)
        if ref is None:
            raise errors.project_not_found()
        project = projects_service.check_access(principal, row)
        return ProjectContext(id=project.id, project=project, principal=principal)

    dependency.scope_object = scope_object  # type: ignore[attr-defined]
    return dependency


def _declares_scope(route: APIRoute) -> bool:
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if getattr(dependant.call, "scope_object", None):
            return True
        pending.extend(dependant.dependencies)
    return False


def check_route_scopes(app: FastAPI, public_paths: frozenset[str]) -> None:
    """Every /api/ route must declare the scope it needs; a route without one is a start-up error."""
    missing = [
        route.path
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.path.startswith("/api/")
        and route.path not in public_paths
        and not _declares_scope(route)
    ]
    if missing:
        raise RuntimeError(f"API routes without a declared scope: {', '.join(sorted(missing))}")
