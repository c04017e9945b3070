"""The console's CSS and JavaScript, served from the package (no CDN, no build step).

Each file's URL carries a hash of its content (`?v=`), so browsers may keep it for a year and still get a new
version the moment it changes.
"""

import hashlib
from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PREFIX = "/static/console/"
MEDIA_TYPES = {
    "console.css": "text/css; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
}


@cache
def _content(name: str) -> bytes:
    return (files("eventschema.console") / "static" / name).read_bytes()


@cache
def url(name: str) -> str:
    return f"{PREFIX}{name}?v={hashlib.sha256(_content(name)).hexdigest()[:12]}"


def _route(name: str) -> Route:
    async def asset(_request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}
        return Response(_content(name), media_type=MEDIA_TYPES[name], headers=headers)

    # Every path gets a trailing slash before routing (app.OptionalTrailingSlash).
    return Route(f"{PREFIX}{name}/", asset, methods=["GET"])


def routes() -> list[Route]:
    return [_route(name) for name in MEDIA_TYPES]
