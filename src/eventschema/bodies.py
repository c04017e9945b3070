"""Request bodies: JSON, form-encoded and multipart are all accepted, read once per request."""

from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request

from eventschema import errors

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_STATE_KEY = "parsed_body"


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


async def _parse(request: Request) -> dict[str, Any]:
    media_type = _media_type(request)
    if media_type in FORM_TYPES:
        try:
            form = await request.form()
        except HTTPException as exc:  # Starlette's report of a malformed multipart or form body
            raise errors.ParseError(f"Multipart form parse error - {exc.detail}") from exc
        return {key: value for key, value in form.items() if isinstance(value, str)}
    raw = await request.body()
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
