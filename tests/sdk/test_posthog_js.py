"""posthog-js from npm, in Debian's Chromium driven by Playwright, on a page served from another origin than the
gateway (as an application on app.example.com sends to events.example.com): its start-up calls (remote config)
succeed, 1 `$pageview` and 50 captures are all stored, every batch is gzip-compressed, and the console shows no
error. The browser looks like a person's (a desktop user agent, no automation flag), since posthog-js drops
events from browsers that look automated."""

import asyncio
import gzip
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import ConsoleMessage, Request, async_playwright
from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import Route

from tests.cli.helpers import database_url
from tests.enforcement.servers import free_port, uvicorn_serving
from tests.sdk.helpers import gateway
from tests.sdk.toolchains import chromium, node_modules

pytestmark = pytest.mark.slow

__all__ = ["database_url"]  # the fixture, from the CLI tests

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-blink-features=AutomationControlled",
]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
CAPTURES = 50
CAPTURE_PATHS = ("/e/", "/i/v0/e/", "/batch/", "/capture/", "/track/")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Checkout</title><link rel="icon" href="data:,">
<script src="/array.js"></script></head>
<body><h1>posthog-js → eventschema</h1><p id="status">loading</p>
<script>
  posthog.init(%(token)r, {
    api_host: %(api_host)r,
    loaded: function () { document.getElementById('status').textContent = 'posthog-js loaded'; },
  });
</script></body></html>
"""


@asynccontextmanager
async def _page_server(api_host: str, token: str) -> AsyncIterator[str]:
    """The application's page and posthog-js's bundle, on their own port (another origin than the gateway)."""
    bundle = node_modules() / "posthog-js" / "dist" / "array.js"

    async def page(_request) -> HTMLResponse:
        return HTMLResponse(PAGE % {"token": token, "api_host": api_host})

    async def script(_request) -> FileResponse:
        return FileResponse(bundle, media_type="application/javascript")

    port = free_port()
    app = Starlette(routes=[Route("/", page), Route("/array.js", script)])
    async with uvicorn_serving(app, port):
        # localhost, not 127.0.0.1 as the gateway: another host, not only another port.
        yield f"http://localhost:{port}/"


def _is_gzip(request: Request) -> bool:
    body = request.post_data_buffer or b""
    if not body.startswith(b"\x1f\x8b"):
        return False
    gzip.decompress(body)
    return True


async def test_posthog_js_in_chromium(database_url: str, tmp_path: Path) -> None:
    async with gateway(database_url, tmp_path) as server, _page_server(server.base, server.token) as url:
        console: list[str] = []
        to_gateway: list[Request] = []
        answers: list[tuple[str, int]] = []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            try:
                context = await browser.new_context(user_agent=USER_AGENT, viewport={"width": 1024, "height": 640})
                page = await context.new_page()

                def on_console(message: ConsoleMessage) -> None:
                    if message.type in ("error", "warning"):
                        console.append(f"{message.type}: {message.text}")

                page.on("console", on_console)
                page.on("pageerror", lambda error: console.append(f"page error: {error}"))
                page.on("requestfailed", lambda request: console.append(f"failed: {request.url} {request.failure}"))
                page.on(
                    "request",
                    lambda request: to_gateway.append(request) if request.url.startswith(server.base) else None,
                )
                page.on("response", lambda response: answers.append((response.url, response.status)))

                await page.goto(url)
                await page.wait_for_function("document.getElementById('status').textContent === 'posthog-js loaded'")
                await page.evaluate(
                    f"for (let n = 0; n < {CAPTURES}; n++) posthog.capture('checkout step', {{n: n, plan: 'pro'}})"
                )
                # The remote config says there are no flags, so posthog-js asks for none; asked, /flags/ answers.
                flags = await page.evaluate(
                    "new Promise((resolve) => { posthog.onFeatureFlags((flags) => resolve(flags));"
                    " posthog.reloadFeatureFlags() })"
                )

                for _ in range(300):  # posthog-js sends its queue every few seconds
                    if len(await server.events()) >= CAPTURES + 1:
                        break
                    await asyncio.sleep(0.1)
                await page.evaluate("document.getElementById('status').textContent = 'events sent'")
                await page.screenshot(path=tmp_path / "posthog-js.png")
            finally:
                await browser.close()
        stored = await server.events()

    assert console == [], "\n".join(console)
    assert Counter(e["event"] for e in stored) == {"$pageview": 1, "checkout step": CAPTURES}
    assert sorted(e["properties"]["n"] for e in stored if e["event"] == "checkout step") == list(range(CAPTURES))
    assert {e["properties"]["$lib"] for e in stored} == {"web"}
    assert len({e["uuid"] for e in stored}) == CAPTURES + 1
    # Every answer of the gateway was a success: the remote config was found, nothing was refused.
    gateway_answers = [(u, status) for u, status in answers if u.startswith(server.base)]
    assert gateway_answers and all(200 <= status < 300 for _, status in gateway_answers), gateway_answers
    assert any("/config" in u for u, _ in gateway_answers)
    assert any("/flags/" in u for u, _ in gateway_answers)
    assert flags == []
    batches = [r for r in to_gateway if urlsplit(r.url).path in CAPTURE_PATHS and r.method == "POST"]
    assert batches
    for request in batches:
        # gzip-js: a gzip body sent as text/plain (no preflight); recent versions drop ?compression=gzip-js.
        assert parse_qs(urlsplit(request.url).query).get("compression", ["gzip-js"]) == ["gzip-js"], request.url
        assert request.headers["content-type"] == "text/plain", request.url
        assert _is_gzip(request), request.url
