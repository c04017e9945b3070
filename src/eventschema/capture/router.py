"""The capture endpoints PostHog's SDKs post to: /e/, /i/v0/e/, /capture/, /batch/, /track/.

They are public (the project API key in the body authenticates), so they live outside /api/ and declare no
scope. The answer is PostHog's `{"status": 1}` whatever the events' fate, so SDKs never retry a rejection;
only a payload that cannot be read is refused (400), one too large (413, before it is read when its length is
declared, else as soon as it grows beyond the limit, compressed or not), or one without a valid project API key
(401).

This is the hot path, so it is served by an ASGI middleware in front of the routing: it needs none of the
framework's routing, dependency resolution or request objects. API errors are answered here in the API's
shape; any other exception goes on to the app's server-error handler (500, or 503 when the database is down),
as it would from a route.
"""

from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from eventschema import errors
from eventschema.capture import service
from eventschema.capture.decoding import decode, too_large
from eventschema.capture.service import Gateway
from eventschema.rendering import error_response

CAPTURE_PATHS = ("/e/", "/i/v0/e/", "/capture/", "/batch/", "/track/")
# With or without the trailing slash, as every route of the app.
_SERVED = frozenset(CAPTURE_PATHS) | frozenset(path.rstrip("/") for path in CAPTURE_PATHS)
ACCEPTED = Response(b'{"status":1}', media_type="application/json")


class ClientGone(Exception):
    """The client disconnected before its request body arrived."""


class CaptureEndpoints:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in _SERVED:
            await self.app(scope, receive, send)
            return
        try:
            response = await _capture(scope, receive)
        except errors.APIError as error:
            response = error_response(error)
        except ClientGone:
            return
        await response(scope, receive, send)


async def _capture(scope: Scope, receive: Receive) -> Response:
    if scope["method"] != "POST":
        raise errors.MethodNotAllowed(scope["method"], {"Allow": "POST"})
    app = scope["app"]
    gateway: Gateway = app.state.gateway
    limit = gateway.settings.capture_max_payload_bytes
    headers = dict(scope["headers"])
    declared = headers.get(b"content-length", b"")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    query = scope["query_string"]
    compression = parse_qs(query.decode("latin-1")).get("compression", [None])[0] if query else None
    payload = decode(
        await _body(receive, limit),
        headers.get(b"content-type", b"").decode("latin-1"),
        headers.get(b"content-encoding", b"").decode("latin-1"),
        compression,
        limit,
    )
    await service.ingest(app.state.database, gateway, payload)
    return ACCEPTED


async def _body(receive: Receive, limit: int) -> bytearray:
    """The whole request body; refused as soon as it is longer than `limit`. Gathered in place (no second copy
    to join chunks), so a request holds at most `limit` bytes of body."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        if len(body) + len(chunk) > limit:
            raise too_large(limit)
        body += chunk
        if not message.get("more_body", False):
            return body
