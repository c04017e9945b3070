"""Builds the FastAPI app: routers, error handlers, middleware."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from eventschema import __version__, errors, openapi
from eventschema.auth.ratelimit import RateLimiter
from eventschema.background import start_background_tasks
from eventschema.capture.router import CaptureEndpoints
from eventschema.capture.service import Gateway
from eventschema.capture.v1 import router as analytics_v1_router
from eventschema.codegen.router import router as codegen_router
from eventschema.db import Database
from eventschema.dependencies import check_route_scopes
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.router import router as enforcement_router
from eventschema.event_definitions.router import router as event_definitions_router
from eventschema.event_schemas.router import router as event_schemas_router
from eventschema.events.router import router as events_router
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
PUBLIC_PATHS = frozenset({OPENAPI_URL, DOCS_URL})
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeoutError, ConnectionError, OSError)


class OptionalTrailingSlash:
    """Every route is declared with a trailing slash; requests without one are served the same, no redirect."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].endswith("/"):
            scope = {**scope, "path": scope["path"] + "/"}
        await self.app(scope, receive, send)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.APIError)
    async def api_error(_request: Request, exc: errors.APIError) -> Response:
        return error_response(exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return error_response(errors.MethodNotAllowed(request.method))
        if exc.status_code == 404:
            return error_response(errors.NotFound())
        error = errors.APIError(str(exc.detail))
        error.status_code = exc.status_code
        error.type = "invalid_request" if exc.status_code < 500 else "server_error"
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def request_validation_error(_request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        attr = "__".join(str(part) for part in first["loc"][1:]) or None
        return error_response(errors.ValidationError(str(first["msg"]), attr=attr))

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        if isinstance(exc, DATABASE_DOWN):
            logger.warning("database unavailable: %s", exc)
            return error_response(errors.ServiceUnavailable())
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
            async with start_background_tasks(app.state.database, settings, app.state.plans):
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
        docs_url=DOCS_URL,
        redoc_url=None,
        redirect_slashes=False,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.group_renderer = GroupRenderer()
    app.state.plans = PlanCache()
    app.state.gateway = Gateway(settings, app.state.plans)
    app.state.sdk_upstream = Upstream(settings) if settings.upstream_url else None
    app.state.rate_limiter = (
        RateLimiter(settings.rate_limit_burst_per_minute, settings.rate_limit_sustained_per_hour)
        if settings.rate_limit_enabled
        else None
    )
    for router in (
        projects_router,
        users_router,
        codegen_router,
        event_definitions_router,
        property_groups_router,
        enforcement_router,  # before event_schemas_router: its /{id}/ would take validate/ and violations/
        event_schemas_router,
        quarantine_router,
        events_router,
        sdk_router,
        analytics_v1_router,
    ):
        app.include_router(router)

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
    openapi.install(app)
    check_route_scopes(app, PUBLIC_PATHS)
    app.add_middleware(OptionalTrailingSlash)
    # Outermost of the app's own middleware: capture requests skip the rest.
    app.add_middleware(CaptureEndpoints)
    # Around everything, capture included: browsers on other origins read every answer of the public routes.
    app.add_middleware(CORS, api_origins=settings.cors_allowed_origins)
    return app
