"""The calls posthog-js makes besides capture: /flags/, /decide/, /array/<token>/config and config.js.

Public like the capture routes (the project API key is the credential) and outside /api/, so they declare no
scope. With an upstream PostHog configured they are passed through to it (`proxy`), else answered standalone.
"""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.capture.v1 import capped_body
from eventschema.rendering import JSONResponse
from eventschema.sdk import remote, service
from eventschema.sdk.proxy import Upstream

router = APIRouter(include_in_schema=False)
JAVASCRIPT = "application/javascript"


@router.api_route("/flags/", methods=["GET", "POST"])
async def flags(request: Request) -> Response:
    if (upstream := _upstream(request)) is not None:
        return await _pass_through(request, upstream)
    await _flags_token(request)
    return JSONResponse(remote.flags())


@router.api_route("/decide/", methods=["GET", "POST"])
async def decide(request: Request) -> Response:
    if (upstream := _upstream(request)) is not None:
        return await _pass_through(request, upstream)
    return JSONResponse(remote.decide(await _flags_token(request)))


@router.get("/array/{token}/config/")
async def config(request: Request, token: str) -> Response:
    if (upstream := _upstream(request)) is not None:
        return await _pass_through(request, upstream)
    return JSONResponse(await service.config(request.app.state.database, request.app.state.gateway, token))


@router.get("/array/{token}/config.js/")
async def config_js(request: Request, token: str) -> Response:
    if (upstream := _upstream(request)) is not None:
        return await _pass_through(request, upstream)
    await service.config(request.app.state.database, request.app.state.gateway, token)
    return Response(remote.remote_config_js(token), media_type=JAVASCRIPT)


def _upstream(request: Request) -> Upstream | None:
    return request.app.state.sdk_upstream  # type: ignore[no-any-return]


async def _flags_token(request: Request) -> str:
    state = request.app.state
    body = await _body(request)
    return await service.flags_token(
        state.database, state.gateway, body, dict(request.headers), dict(request.query_params)
    )


async def _pass_through(request: Request, upstream: Upstream) -> Response:
    # The path as the client sent it: the app's routing adds a trailing slash to every path.
    path = request.scope.get("raw_path", request.url.path.encode()).split(b"?", 1)[0].decode("latin-1")
    client = request.client.host if request.client else None
    body = await _body(request)
    return await upstream.forward(
        request.method, path, request.scope["query_string"], dict(request.headers), body, client
    )


async def _body(request: Request) -> bytes:
    return await capped_body(request, request.app.state.settings.capture_max_payload_bytes)
