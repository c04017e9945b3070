"""Request bodies: JSON, form-encoded and multipart are all accepted, read once per request.

A body is bounded while it streams in (413 past the limit, before anything past it is held in memory), and
a declared Content-Length over the limit is refused before the first byte is read. Routes that take batches
declare it with `@takes_batches` and get the larger batch limit.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request

from eventschema import errors

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_STATE_KEY = "parsed_body"
_BATCHES = "takes_batches"

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def takes_batches(endpoint: Endpoint) -> Endpoint:
    """Marks a route handler whose body may be as large as `api_max_batch_body_bytes`."""
    setattr(endpoint, _BATCHES, True)
    return endpoint


def body_limit(request: Request) -> int:
    settings = request.app.state.settings
    if getattr(request.scope.get("endpoint"), _BATCHES, False):
        return settings.api_max_batch_body_bytes  # type: ignore[no-any-return]
    return settings.api_max_body_bytes  # type: ignore[no-any-return]


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def read_body(request: Request) -> dict[str, Any]:
    """The body as a dict (empty when there is none). Cached on the request."""
    cached = getattr(request.state, _STATE_KEY, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    body = await _parse(request)
    setattr(request.state, _STATE_KEY, body)
    return body


async def _bounded_body(request: Request) -> bytes:
    limit = body_limit(request)
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise errors.RequestTooLarge(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.RequestTooLarge(limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    # Where Starlette keeps a body it has read: request.form() then parses these bytes, not the spent stream.
    request._body = body
    return body


async def _parse(request: Request) -> dict[str, Any]:
    media_type = _media_type(request)
    raw = await _bounded_body(request)
    if media_type in FORM_TYPES:
        try:
            form = await request.form()
        except HTTPException as exc:  # Starlette's report of a malformed multipart or form body
            raise errors.ParseError(f"Multipart form parse error - {exc.detail}") from exc
        return {key: value for key, value in form.items() if isinstance(value, str)}
    if not raw.strip():
        return {}
    if media_type == "application/json" or media_type.endswith("+json") or not media_type:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise errors.ParseError(f"JSON parse error - {exc}") from exc
        if not isinstance(data, dict):
            raise errors.ValidationError(
                f"Invalid data. Expected a dictionary, but got {type(data).__name__}.", code="invalid_input"
            )
        return data
    raise errors.UnsupportedMediaType(media_type)
