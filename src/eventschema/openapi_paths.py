"""Pieces of the OpenAPI document that no route declares: the error body, paging, and the capture and health
endpoints, which are served ahead of the routing (an ASGI middleware and a bare route) and so are described here.
"""

from typing import Any

ERROR = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR,
    "description": "Every error, in PostHog's shape; only the first problem is reported.",
    "type": "object",
    "required": ["type", "code", "detail", "attr"],
    "additionalProperties": False,
    "properties": {
        "type": {
            "type": "string",
            "enum": ["validation_error", "invalid_request", "authentication_error", "throttled_error", "server_error"],
        },
        "code": {"type": "string", "examples": ["required", "not_found", "authentication_failed", "throttled"]},
        "detail": {"type": "string"},
        "attr": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "The field at fault, its path joined with `__` (`properties__0__name`), or null.",
        },
    },
}
_RETRY_AFTER = {"description": "Seconds to wait before trying again.", "required": True, "schema": {"type": "string"}}
_ERRORS: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("Invalid request: a field, a filter or the body itself (`parse_error`).", {}),
    401: (
        "No personal API key, or one that is not valid.",
        {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    ),
    403: ("The key lacks the scope, or may not reach this project.", {}),
    404: ("No such object (or project) here.", {}),
    405: ("The method is not allowed here.", {}),
    413: ("The request body is larger than this route accepts.", {}),
    415: ("A body in a media type this route does not read.", {}),
    429: (
        "Too many requests for this key, or too many failed authentications from this address.",
        {"Retry-After": _RETRY_AFTER},
    ),
    503: ("The database is unavailable; try again shortly.", {"Retry-After": _RETRY_AFTER}),
}
# A query parameter PostgreSQL can store: no NUL character (one is refused with 400).
TEXT: dict[str, Any] = {"type": "string", "pattern": "^[^\\x00]*$"}
# Any value is accepted (an unusable one means the default), so the schema cannot be narrower than a string.
_PAGE_NUMBER = {"type": "string"}
PAGINATION: list[dict[str, Any]] = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Page size, an integer; 100 when missing, not a positive integer; at most 1000.",
        "schema": {**_PAGE_NUMBER, "examples": ["100"]},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "description": "Results to skip, an integer; 0 when missing or not a non-negative integer.",
        "schema": {**_PAGE_NUMBER, "examples": ["0"]},
    },
]


def error_response(status: int) -> dict[str, Any]:
    description, headers = _ERRORS[status]
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}},
    }
    if headers:
        response["headers"] = headers
    return response


_EVENT = "#/components/schemas/CaptureEvent"
_DISTINCT_ID = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}
CAPTURE_COMPONENTS: dict[str, Any] = {
    "CaptureEvent": {
        "description": "One event as PostHog's SDKs send it. An event without this shape makes the request a 400. "
        "Otherwise each event is judged on its own: one that breaks its schema or cannot be stored as sent is "
        "kept in the quarantine with its reason, and the others of its batch go on.",
        "type": "object",
        "required": ["event"],
        "properties": {
            "event": {"type": "string", "minLength": 1, "maxLength": 400},
            "distinct_id": {"description": "Who did it; else `properties.distinct_id`."},
            "properties": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "timestamp": {"description": "ISO 8601; a value that cannot be used means the time it was received."},
            "uuid": {"description": "The event's id."},
            "api_key": {"description": "The project API key (phc_...), when the payload does not give it."},
            "token": {"description": "Same as api_key."},
        },
        # A distinct id at the top, or (when there is none there) in the properties.
        "anyOf": [
            {"required": ["distinct_id"], "properties": {"distinct_id": _DISTINCT_ID}},
            {
                "properties": {
                    "distinct_id": {"type": "null"},
                    "properties": {
                        "type": "object",
                        "required": ["distinct_id"],
                        "properties": {"distinct_id": _DISTINCT_ID},
                    },
                },
                "required": ["properties"],
            },
        ],
    },
    "CapturePayload": {
        "description": 'One event, a list of events, or `{"batch": [...]}`; the project API key is `api_key` '
        "or `token` at the top, else on the first event (or in its properties, as `token`).",
        "anyOf": [
            {
                "type": "object",
                "required": ["batch"],
                "properties": {
                    "batch": {"type": "array", "minItems": 1, "items": {"$ref": _EVENT}},
                    "api_key": {"type": "string"},
                    "token": {"type": "string"},
                },
            },
            {"allOf": [{"$ref": _EVENT}], "not": {"required": ["batch"]}},
            {"type": "array", "minItems": 1, "items": {"$ref": _EVENT}},
        ],
    },
    "CaptureAccepted": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"const": 1}},
    },
}
_CAPTURE_DESCRIPTION = (
    "PostHog's capture endpoint, authenticated by the project API key in the body (no personal key needed). "
    'Answers `{"status": 1}` whatever each event\'s fate. Besides JSON, the body may be gzip-compressed '
    "(`Content-Encoding: gzip` or `?compression=gzip-js`, any content type, as posthog-js sends it) or a form "
    "whose `data` field holds the JSON, base64-encoded."
)


def _capture_operation(path: str) -> dict[str, Any]:
    return {
        "tags": ["capture"],
        "summary": f"Capture events ({path})",
        "operationId": "capture" + path.replace("/", "_").rstrip("_"),
        "description": _CAPTURE_DESCRIPTION,
        "security": [],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CapturePayload"}}},
        },
        "responses": {
            "200": {
                "description": "Received.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaptureAccepted"}}},
            },
            "400": error_response(400),
            "401": {**error_response(401), "description": "No project API key, or not a project's.", "headers": {}},
            "413": error_response(413),
            "503": error_response(503),
        },
    }


_HEALTH = {
    "get": {
        "tags": ["health"],
        "summary": "Health check",
        "operationId": "health",
        "description": "Whether this process can reach its database. Needs no key.",
        "security": [],
        "responses": {
            "200": {
                "description": "Serving.",
                "content": {
                    "application/json": {"schema": {"type": "object", "properties": {"status": {"const": "ok"}}}}
                },
            },
            "503": {
                "description": "The database cannot be reached.",
                "headers": {"Retry-After": _RETRY_AFTER},
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"status": {"const": "unavailable"}}}
                    }
                },
            },
        },
    }
}


def outside_router() -> dict[str, Any]:
    """Path items for the capture endpoints and /_health/."""
    from eventschema.capture.router import CAPTURE_PATHS  # the capture package imports from the routers' side

    paths: dict[str, Any] = {path: {"post": _capture_operation(path)} for path in CAPTURE_PATHS}
    paths["/_health/"] = _HEALTH
    return paths
