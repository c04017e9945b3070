"""Jinja2 for the console: one environment (autoescaped), its filters, and `render`, which every page uses.

A page renders a template of its own that extends `base.html` and fills its `content` block; `render` passes the
page's context (`ProjectPage`: the user, the project, their other projects, the CSRF token) as `page`, and the
navigation (`nav.NAV`) and the static files' URLs to every template.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from eventschema.console import static
from eventschema.console.nav import NAV

# Pages show what only a signed-in user may see: never kept by a cache, never framed by another site, and no
# script but the console's own.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def pretty_json(value: Any) -> str:
    """JSON indented for a <pre> (autoescaping then escapes it like any other text)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def compact_json(value: Any) -> str:
    """JSON on one line, for a field a person edits (autoescaping escapes it)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso(value: datetime) -> str:
    return value.isoformat()


def number(value: int) -> str:
    """1,234,567"""
    return f"{value:,}"


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """'never', 'just now', '5 min ago', '3 h ago', '12 days ago'."""
    if value is None:
        return "never"
    seconds = int(((now or datetime.now(UTC)) - value).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    return f"{days} day{'' if days == 1 else 's'} ago"


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one): `url_with(request, page=2)`."""
    params = dict(request.query_params)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("eventschema.console", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["pretty_json"] = pretty_json
    env.filters["when"] = when
    env.filters["compact_json"] = compact_json
    env.filters["ago"] = ago
    env.filters["iso"] = iso
    env.filters["number"] = number
    env.globals["nav_items"] = NAV
    env.globals["static_url"] = static.url
    env.globals["url_with"] = url_with
    env.globals["docs_url"] = "/api/schema/docs/"
    return env


def render(
    request: Request, template: str, page: Any = None, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The template rendered with `page` (a `deps.ProjectPage`, a `deps.Viewer` or None) and `context`."""
    html = environment().get_template(template).render(request=request, page=page, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
