"""The console's rendering helpers and static files: relative times, query-string links, escaped JSON, the
security headers of every page, and CSS/JS served from the package under a content hash."""

import hashlib
from datetime import UTC, datetime, timedelta
from importlib.resources import files

from starlette.requests import Request

from eventschema.console import static
from eventschema.console.templating import ago, environment, url_with


def test_ago_says_how_long_ago_in_words() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert ago(None, now) == "never"
    assert ago(now - timedelta(seconds=59), now) == "just now"
    assert ago(now - timedelta(minutes=5), now) == "5 min ago"
    assert ago(now - timedelta(hours=3, minutes=59), now) == "3 h ago"
    assert ago(now - timedelta(days=1), now) == "1 day ago"
    assert ago(now - timedelta(days=12), now) == "12 days ago"


def test_url_with_changes_only_what_it_is_told() -> None:
    scope = {"type": "http", "path": "/projects/1/events/", "query_string": b"q=a+b&sort=violations&page=3"}
    request = Request({**scope, "headers": []})
    assert url_with(request, page=4) == "/projects/1/events/?q=a+b&sort=violations&page=4"
    assert url_with(request, sort="name", page=None) == "/projects/1/events/?q=a+b&sort=name"


def test_json_in_a_pre_is_escaped() -> None:
    template = environment().from_string("<pre>{{ value | pretty_json }}</pre>")
    html = template.render(value={"<script>": "</pre><img src=x onerror=alert(1)>"})
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;" in html


async def test_static_files_are_served_under_their_content_hash(client) -> None:
    for name, media_type in (("console.css", "text/css"), ("console.js", "text/javascript")):
        content = (files("eventschema.console") / "static" / name).read_bytes()
        url = static.url(name)
        assert url == f"/static/console/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"

        response = await client.get(url)

        assert response.status_code == 200
        assert response.content == content
        assert response.headers["content-type"].startswith(media_type)
        assert "immutable" in response.headers["cache-control"]
    assert (await client.get("/static/console/../settings.py")).status_code == 404


async def test_pages_forbid_framing_caching_and_foreign_scripts(client) -> None:
    response = await client.get("/login/")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.count("<h1>") == 1
    assert '<label for="email">Email</label>' in response.text
    assert '<label for="password">Password</label>' in response.text
