"""Limit/offset pagination with DRF's envelope and absolute next/previous links."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request

from eventschema.settings import Settings

DEFAULT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def _non_negative_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def page_params(request: Request, settings: Settings) -> Page:
    """Invalid, zero or negative limit -> the default; invalid or negative offset -> 0; limit capped."""
    limit = _non_negative_int(request.query_params.get("limit")) or DEFAULT_LIMIT
    offset = _non_negative_int(request.query_params.get("offset")) or 0
    return Page(limit=min(limit, settings.page_size_max), offset=offset)


def request_origin(request: Request, settings: Settings) -> str:
    """scheme://host as the client used them (or as a trusted proxy says they were)."""
    scheme = request.scope.get("scheme", "http")
    host = request.headers.get("host") or request.url.netloc
    if settings.trust_proxy_headers:
        scheme = request.headers.get("x-forwarded-proto", scheme).split(",")[0].strip()
        host = request.headers.get("x-forwarded-host", host).split(",")[0].strip()
    return f"{scheme}://{host}"


def request_base_url(request: Request, settings: Settings) -> str:
    """scheme://host/path as the client used them (or as a trusted proxy says they were), read from the ASGI
    scope rather than by building `request.url`."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1").split("?", 1)[0] if raw_path else request.url.path
    return f"{request_origin(request, settings)}{path}"


def _url(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(sorted(params.items()))}"


def links(request: Request, settings: Settings, page: Page, count: int) -> tuple[str | None, str | None]:
    """(next, previous) with query parameters re-encoded in alphabetical order, other filters kept."""
    base = request_base_url(request, settings)
    params = dict(parse_qsl(request.scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True))
    params["limit"] = str(page.limit)
    next_url = None
    if page.offset + page.limit < count:
        next_url = _url(base, {**params, "offset": str(page.offset + page.limit)})
    previous_url = None
    if page.offset > 0:
        if page.offset - page.limit <= 0:
            previous_url = _url(base, {k: v for k, v in params.items() if k != "offset"})
        else:
            previous_url = _url(base, {**params, "offset": str(page.offset - page.limit)})
    return next_url, previous_url
