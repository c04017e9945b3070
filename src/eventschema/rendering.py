"""JSON responses rendered with orjson (timestamps as ISO 8601 with a trailing Z, as PostHog's API does)."""

from typing import Any
from uuid import UUID

import orjson
from starlette.responses import Response

from eventschema import errors

JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    # asyncpg returns its own UUID subclass, which orjson only serialises as an exact uuid.UUID.
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=JSON_OPTIONS)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        return dumps(content)


def error_response(error: errors.APIError) -> Response:
    """An error in PostHog's shape, with its status code and headers."""
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)
