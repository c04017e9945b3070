"""Builds the FastAPI app: routers, error handlers, middleware."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy import text
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from eventschema import __version__, errors, openapi
from eventschema.alerts.router import router as alerts_router
from eventschema.auth.cache import AuthCache
from eventschema.auth.ratelimit import FailedAttempts, RateLimiter
from eventschema.auth.rights import public_paths
from eventschema.background import start_background_tasks
from eventschema.caching import share
from eventschema.caching.answers import AnswerCache, FastReads
from eventschema.caching.responses import ResponseCache
from eventschema.caching.revisions import DatabaseRevisions
from eventschema.capture.router import CaptureEndpoints
from eventschema.capture.service import Gateway
from eventschema.capture.v1 import router as analytics_v1_router
from eventschema.codegen.router import router as codegen_router
from eventschema.console import install as install_console
from eventschema.db import Database, is_unavailable
from eventschema.dependencies import check_route_rights, check_route_scopes
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.router import router as enforcement_router
from eventschema.event_definitions.router import router as event_definitions_router
from eventschema.event_schemas.cache import PageCache
from eventschema.event_schemas.router import router as event_schemas_router
from eventschema.events.router import router as events_router
from eventschema.history.router import router as history_router
from eventschema.http.etag import ConditionalGet
from eventschema.invites.router import router as invites_router
from eventschema.invites.router import signup_router
from eventschema.members.router import router as members_router
from eventschema.observed.router import router as observed_router
from eventschema.personal_api_keys.router import router as personal_api_keys_router
from eventschema.plan.router import router as plan_router
from eventschema.projects.router import router as projects_router
from eventschema.property_groups.rendering import GroupRenderer
from eventschema.property_groups.router import router as property_groups_router
from eventschema.quarantine.router import router as quarantine_router
from eventschema.rendering import JSONResponse, error_response
from eventschema.sdk.cors import CORS
from eventschema.sdk.proxy import Upstream
from eventschema.sdk.router import router as sdk_router
from eventschema.settings import Settings, get_settings
from eventschema.users.router import router as users_router

logger = logging.getLogger("eventschema")

OPENAPI_URL = "/api/schema/"
DOCS_URL = "/api/schema/docs/"
# Served without a key (the rights table says which /api/ routes are public).
PUBLIC_PATHS = frozenset({OPENAPI_URL}) | public_paths()


class OptionalTrailingSlash:
    """Every route is declared with a trailing slash; requests without one are served the same, no redirect."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].endswith("/"):
            scope = {**scope, "path": scope["path"] + "/"}
        await self.app(scope, receive, send)


def _first_line(exc: Exception) -> str:
    """The driver's message without SQLAlchemy's SQL and background link, which span several lines."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).splitlines()
    return lines[0] if lines else type(cause).__name__


class DatabaseOutages:
    """503 with Retry-After for a database that is down, starting up or shutting down, from any route (capture
    too), in one warning line.

    The exception stops here. Past this point Starlette's server-error handler would answer and then re-raise it,
    and uvicorn would log a traceback for every request and close the client's keep-alive connection. Every
    route finishes its database work before it starts its response, so there is always a response to send.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if scope["type"] != "http" or not is_unavailable(exc):
                raise
            logger.warning("database unavailable: %s", _first_line(exc))
            await error_response(errors.ServiceUnavailable())(scope, receive, send)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.APIError)
    async def api_error(_request: Request, exc: errors.APIError) -> Response:
        return error_response(exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return error_response(errors.MethodNotAllowed(request.method, {"Allow": _allowed_methods(request)}))
        if exc.status_code == 404:
            return error_response(errors.NotFound())
        error = errors.APIError(str(exc.detail))
        error.status_code = exc.status_code
        error.type = "invalid_request" if exc.status_code < 500 else "server_error"
        return error_response(error)

    @app.exception_handler(ClientDisconnect)
    async def client_gone(_request: Request, _exc: ClientDisconnect) -> Response:
        # The client left before its body arrived: there is nobody to answer and nothing went wrong here.
        return Response(status_code=400)

    @app.exception_handler(RequestValidationError)
    async def request_validation_error(_request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        attr = "__".join(str(part) for part in first["loc"][1:]) or None
        return error_response(errors.ValidationError(str(first["msg"]), attr=attr))

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error", exc_info=exc)
        return error_response(errors.APIError())


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """The ASGI app. A database passed in is used as is (tests); otherwise one is opened at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        app.state.database = database or Database(settings.database_url, settings.database_pool_size)
        # What is alive once the app has started (modules, routes, metadata) lives as long as the process:
        # keep the garbage collector from walking it again and again under load.
        gc.freeze()
        try:
            observer = app.state.gateway.observer
            async with start_background_tasks(app.state.database, settings, app.state.plans, observer):
                yield
        finally:
            await app.state.gateway.close()
            if app.state.sdk_upstream is not None:
                await app.state.sdk_upstream.close()
            if owned:
                await app.state.database.dispose()

    app = FastAPI(
        title="eventschema",
        version=__version__,
        description="Event schema registry, wire-compatible with PostHog's Event Schemas API.",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served by openapi.install, without a CDN
        redoc_url=None,
        redirect_slashes=False,
        generate_unique_id_function=lambda route: route.name,  # operationId: the handler's name
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.group_renderer = GroupRenderer(share(settings.cache_max_bytes, "groups"))
    app.state.responses = ResponseCache(share(settings.cache_max_bytes, "responses"))
    app.state.plans = PlanCache(share(settings.cache_max_bytes, "plans"))
    app.state.event_schema_pages = PageCache(share(settings.cache_max_bytes, "pages"))
    app.state.revisions = DatabaseRevisions(lambda: app.state.database)
    app.state.answers = (
        AnswerCache(share(settings.cache_max_bytes, "answers"), settings.auth_cache_seconds)
        if settings.auth_cache_seconds > 0
        else None
    )
    app.state.gateway = Gateway(settings, app.state.plans, app.state.revisions)
    app.state.auth_cache = (
        AuthCache(settings.auth_cache_seconds, share(settings.cache_max_bytes, "keys"))
        if settings.auth_cache_seconds > 0
        else None
    )
    app.state.sdk_upstream = Upstream(settings) if settings.upstream_url else None
    app.state.rate_limiter = (
        RateLimiter(settings.rate_limit_burst_per_minute, settings.rate_limit_sustained_per_hour)
        if settings.rate_limit_enabled
        else None
    )
    app.state.failed_attempts = (
        FailedAttempts(settings.auth_failures_per_minute) if settings.auth_failures_per_minute else None
    )
    for router in (
        projects_router,
        users_router,
        personal_api_keys_router,
        members_router,
        invites_router,
        signup_router,
        codegen_router,
        event_definitions_router,
        property_groups_router,
        enforcement_router,  # before event_schemas_router: its /{id}/ would take validate/ and violations/
        event_schemas_router,
        quarantine_router,
        events_router,
        observed_router,
        alerts_router,
        plan_router,
        history_router,
        sdk_router,
        analytics_v1_router,
    ):
        app.include_router(router)
    install_console(app)

    @app.get("/_health/", include_in_schema=False)
    async def health(request: Request) -> Response:
        try:
            async with request.app.state.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            logger.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable"}, status_code=503, headers={"Retry-After": "5"})
        return JSONResponse({"status": "ok"})

    _install_error_handlers(app)
    openapi.install(app, DOCS_URL)
    check_route_scopes(app, PUBLIC_PATHS)
    check_route_rights(app)
    app.add_middleware(ConditionalGet)
    app.add_middleware(OptionalTrailingSlash)
    app.add_middleware(FastReads, state=app.state)
    # Capture requests skip the middleware added before this one.
    app.add_middleware(CaptureEndpoints)
    # Around capture too, so its database outages are answered here as well.
    app.add_middleware(DatabaseOutages)
    # Around everything, capture included: browsers on other origins read every answer of the public routes.
    app.add_middleware(CORS, api_origins=settings.cors_allowed_origins)
    return app


def _allowed_methods(request: Request) -> str:
    """The methods of the path the request names: those of every route declared with the first matching path
    (Starlette names only those of its first route, when a path has one route per method)."""
    path = request.scope["path"]
    contexts = [context for context in iter_route_contexts(request.app.router.routes) if context.methods]
    matched = next((c.path for c in contexts if c.path and compile_path(c.path)[0].match(path)), None)
    methods = {method for c in contexts if c.path == matched for method in c.methods or ()}
    return ", ".join(sorted(methods))
