"""The API's documentation page (Swagger UI), served entirely by the process itself.

Swagger UI's JavaScript and CSS come from the `fastapi-offline` package and are answered from memory, so the
page works on a machine with no internet access: it references no CDN, no remote favicon and no OAuth2
redirect page (the API authenticates with bearer keys only, so there is no OAuth2 flow to complete).
"""

from collections.abc import Awaitable, Callable
from functools import cache
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
# Swagger UI would otherwise show a badge fetched from its public validator.
UI_PARAMETERS = {"validatorUrl": None, "persistAuthorization": True}


@cache
def _asset(name: str) -> bytes:
    return (files("fastapi_offline") / "static" / name).read_bytes()


def install(app: FastAPI, openapi_url: str, docs_url: str) -> None:
    async def docs_page() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{docs_url}swagger-ui-bundle.js",
            swagger_css_url=f"{docs_url}swagger-ui.css",
            swagger_favicon_url=f"{docs_url}favicon.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters=UI_PARAMETERS,
        )

    app.add_api_route(docs_url, docs_page, methods=["GET"], include_in_schema=False)
    # Plain routes (not API routes): static files, which need no key and declare no scope.
    for name, media_type in ASSETS.items():
        app.router.add_route(f"{docs_url}{name}/", _asset_route(name, media_type), methods=["GET"])


def _asset_route(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def asset(_request: Request) -> Response:
        return Response(_asset(name), media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})

    return asset
