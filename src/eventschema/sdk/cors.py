"""CORS: the public SDK surface is open to every web origin; the /api/ routes only to the origins listed.

posthog-js runs on the application's origin (app.example.com) and posts to the gateway's (events.example.com), so
without CORS the browser drops every JSON batch and every flags or config call. The project API key those
requests carry is public by design, as in PostHog, so any origin may send them: preflights are answered here and
every response says so (the request's origin echoed, with credentials allowed, as PostHog answers). The /api/
routes take personal API keys, which must not be usable from arbitrary pages: they answer cross-origin requests
only from `settings.cors_allowed_origins` (none by default, so browsers refuse them).
"""

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_PREFIXES = ("/e/", "/i/", "/capture/", "/batch/", "/track/", "/flags/", "/decide/", "/array/", "/s/", "/engage/")
PREFLIGHT_MAX_AGE = "86400"
METHODS = "GET, POST, OPTIONS"
# Headers a cross-origin request may carry when the preflight does not list them.
DEFAULT_ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization, Accept"


def is_public(path: str) -> bool:
    """The paths PostHog's SDKs call, served or not: an unknown one is refused in a way the page can read."""
    return (path if path.endswith("/") else path + "/").startswith(PUBLIC_PREFIXES)


class CORS:
    def __init__(self, app: ASGIApp, api_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.api_origins = frozenset(origin.rstrip("/") for origin in api_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        path: str = scope["path"]
        if is_public(path):
            allowed = origin or "*"
        elif origin and path.startswith("/api/") and ("*" in self.api_origins or origin in self.api_origins):
            allowed = origin
        else:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(allowed, headers)(scope, receive, send)
            return

        started = False

        async def send_with_cors(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                _allow(MutableHeaders(scope=message), allowed)
            await send(message)

        try:
            await self.app(scope, receive, send_with_cors)
        except Exception as exc:
            # The app's handler of unexpected errors (500, 503 when the database is down) answers from outside
            # every middleware, this one included: answered here instead, the page can read it too.
            handler = scope["app"].exception_handlers.get(Exception)
            if started or handler is None:
                raise
            await (await handler(Request(scope), exc))(scope, receive, send_with_cors)


def _allow(headers: MutableHeaders, origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin
    if origin != "*":
        headers["Access-Control-Allow-Credentials"] = "true"
        headers.add_vary_header("Origin")


def _preflight(origin: str, request: Headers) -> Response:
    response = Response(status_code=204)
    _allow(response.headers, origin)
    response.headers["Access-Control-Allow-Methods"] = METHODS
    response.headers["Access-Control-Allow-Headers"] = (
        request.get("access-control-request-headers") or DEFAULT_ALLOWED_HEADERS
    )
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
