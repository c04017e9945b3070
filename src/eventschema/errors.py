"""The error catalogue: typed exceptions and the PostHog error body they become.

Every error body is exactly ``{"type", "code", "detail", "attr"}``; only the first error is reported.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pydantic
from sqlalchemy.exc import IntegrityError


class APIError(Exception):
    status_code = 500
    type = "server_error"
    code = "error"
    default_detail = "A server error occurred."

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        attr: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.detail = detail if detail is not None else self.default_detail
        if code is not None:
            self.code = code
        self.attr = attr
        self.headers = dict(headers or {})
        super().__init__(self.detail)

    def body(self) -> dict[str, Any]:
        return {"type": self.type, "code": self.code, "detail": self.detail, "attr": self.attr}


class ValidationError(APIError):
    status_code = 400
    type = "validation_error"
    code = "invalid_input"
    default_detail = "Invalid input."


class ParseError(APIError):
    status_code = 400
    type = "invalid_request"
    code = "parse_error"
    default_detail = "Malformed request."


class NotAuthenticated(APIError):
    status_code = 401
    type = "authentication_error"
    code = "not_authenticated"
    default_detail = "Authentication credentials were not provided."

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **kwargs)


class AuthenticationFailed(NotAuthenticated):
    code = "authentication_failed"
    default_detail = "Incorrect authentication credentials."


class PermissionDenied(APIError):
    status_code = 403
    type = "authentication_error"
    code = "permission_denied"
    default_detail = "You do not have permission to perform this action."


class NotFound(APIError):
    status_code = 404
    type = "invalid_request"
    code = "not_found"
    default_detail = "Not found."


class MethodNotAllowed(APIError):
    status_code = 405
    type = "invalid_request"
    code = "method_not_allowed"

    def __init__(self, method: str, allowed: Mapping[str, str] | None = None) -> None:
        # RFC 9110: a 405 names the methods the resource supports, in `Allow`.
        super().__init__(f'Method "{method}" not allowed.', headers=allowed)


class UnsupportedMediaType(APIError):
    status_code = 415
    type = "invalid_request"
    code = "unsupported_media_type"

    def __init__(self, media_type: str) -> None:
        super().__init__(f'Unsupported media type "{media_type}" in request.')


class RequestTooLarge(APIError):
    status_code = 413
    type = "invalid_request"
    code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request body is larger than {limit} bytes.")


class Throttled(APIError):
    status_code = 429
    type = "throttled_error"
    code = "throttled"

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            f"Request was throttled. Expected available in {wait_seconds} seconds.",
            headers={"Retry-After": str(wait_seconds)},
        )


class ServiceUnavailable(APIError):
    status_code = 503
    type = "server_error"
    code = "service_unavailable"
    default_detail = "The database is unavailable; try again shortly."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


def no_nul(name: str, value: str | None) -> str | None:
    """A query filter; PostgreSQL cannot compare text holding U+0000, and DRF refuses it in every CharField."""
    if value is not None and "\x00" in value:
        raise ValidationError("Null characters are not allowed.", code="null_characters_not_allowed", attr=name)
    return value


class UpstreamUnavailable(APIError):
    """The upstream PostHog a request is passed through to could not be reached."""

    status_code = 502
    type = "server_error"
    code = "upstream_unavailable"
    default_detail = "The upstream PostHog could not be reached."


class UpstreamTimeout(APIError):
    status_code = 504
    type = "server_error"
    code = "upstream_timeout"
    default_detail = "The upstream PostHog did not answer in time."


def project_not_found() -> NotFound:
    return NotFound("Project not found.")


def does_not_exist(attr: str, value: object) -> ValidationError:
    return ValidationError(f'Invalid pk "{value}" - object does not exist.', code="does_not_exist", attr=attr)


# Pydantic error types -> (PostHog code, detail). Custom validators raise PostHog codes directly.
_PYDANTIC_CODES: dict[str, tuple[str, str]] = {
    "missing": ("required", "This field is required."),
    "uuid_parsing": ("invalid_input", "Must be a valid UUID."),
    "uuid_type": ("invalid_input", "Must be a valid UUID."),
    "bool_parsing": ("invalid_input", "Must be a valid boolean."),
    "bool_type": ("invalid_input", "Must be a valid boolean."),
    "string_type": ("invalid_input", "Not a valid string."),
    "int_parsing": ("invalid_input", "A valid integer is required."),
    "int_type": ("invalid_input", "A valid integer is required."),
    "list_type": ("not_a_list", 'Expected a list of items but got type "{type}".'),
    "model_type": ("invalid_input", "Invalid data. Expected a dictionary, but got {type}."),
    "dict_type": ("invalid_input", "Invalid data. Expected a dictionary, but got {type}."),
    "model_attributes_type": ("invalid_input", "Invalid data. Expected a dictionary, but got {type}."),
    "extra_forbidden": ("invalid_input", "Unknown field."),
}


def _json_type_name(value: object) -> str:
    return {str: "str", int: "int", float: "float", bool: "bool", list: "list", dict: "dict"}.get(
        type(value), type(value).__name__
    )


def from_pydantic(exc: pydantic.ValidationError) -> ValidationError:
    """The first error of a Pydantic validation, in PostHog's shape."""
    error = exc.errors(include_url=False)[0]
    attr = "__".join(str(part) for part in error["loc"]) or None
    kind = error["type"]
    value = error.get("input")
    if kind != "missing" and value is None:
        return ValidationError("This field may not be null.", code="null", attr=attr)
    if kind in _PYDANTIC_CODES:
        code, detail = _PYDANTIC_CODES[kind]
        return ValidationError(detail.format(type=_json_type_name(value)), code=code, attr=attr)
    if kind == "literal_error":
        return ValidationError(f'"{value}" is not a valid choice.', code="invalid_choice", attr=attr)
    # Custom errors raised by our own validators carry a PostHog code as their type.
    return ValidationError(str(error["msg"]), code=kind, attr=attr)


def constraint_name(exc: IntegrityError) -> str | None:
    """The violated constraint's name, as the driver reports it (PostgreSQL does; SQLite does not)."""
    orig = exc.orig
    for candidate in (orig, getattr(orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if name:
            return str(name)
    return None


@contextmanager
def unique_violations(mapping: Mapping[str, APIError]) -> Iterator[None]:
    """Map a unique-constraint race that slipped past a service's check to its API error, by name."""
    try:
        yield
    except IntegrityError as exc:
        error = mapping.get(constraint_name(exc) or "")
        if error is None:
            raise
        raise error from exc
