"""dependencies.check_route_scopes: an /api/ route that declares no scope is a start-up error."""

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from eventschema.app import PUBLIC_PATHS, create_app
from eventschema.auth.principal import Principal
from eventschema.dependencies import ProjectContext, _declares_scope, check_route_scopes, project_access, scoped
from tests.app.helpers import app_settings


async def _open() -> dict[str, str]:
    return {}


async def _scoped(principal: Annotated[Principal, Depends(scoped("project"))]) -> dict[str, str]:
    return {}


def test_a_route_on_the_app_without_a_scope_is_refused() -> None:
    app = FastAPI()
    app.add_api_route("/api/open/", _open)

    with pytest.raises(RuntimeError) as caught:
        check_route_scopes(app, frozenset())

    assert str(caught.value) == "API routes without a declared scope: /api/open/"


def test_a_route_in_an_included_router_without_a_scope_is_refused() -> None:
    router = APIRouter(prefix="/api/things")
    router.add_api_route("/", _open)
    router.add_api_route("/{id}/", _scoped)
    app = FastAPI()
    app.include_router(router)

    with pytest.raises(RuntimeError) as caught:
        check_route_scopes(app, frozenset())

    assert str(caught.value) == "API routes without a declared scope: /api/things/"


def test_every_missing_route_is_named_in_order() -> None:
    app = FastAPI()
    app.add_api_route("/api/zeta/", _open)
    app.add_api_route("/api/alpha/", _open, methods=["POST"])

    with pytest.raises(RuntimeError) as caught:
        check_route_scopes(app, frozenset())

    assert str(caught.value) == "API routes without a declared scope: /api/alpha/, /api/zeta/"


def test_declared_scopes_public_paths_and_non_api_routes_pass() -> None:
    async def nested(project: Annotated[ProjectContext, Depends(project_access("event_definition"))]) -> None:
        return None

    async def deeper(_: Annotated[None, Depends(nested)]) -> dict[str, str]:
        return {}

    app = FastAPI()
    app.add_api_route("/api/scoped/", _scoped)
    app.add_api_route("/api/projects/{project_id}/deep/", deeper)
    app.add_api_route("/api/public/", _open)
    app.add_api_route("/_internal/", _open)

    check_route_scopes(app, frozenset({"/api/public/"}))


def test_every_route_of_the_real_app_declares_a_scope() -> None:
    app = create_app(app_settings())
    api_routes = [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.path.startswith("/api/")
    ]

    assert len(api_routes) >= 20
    for context in api_routes:
        assert context.path in PUBLIC_PATHS or _declares_scope(context.original_route.dependant), context.path
