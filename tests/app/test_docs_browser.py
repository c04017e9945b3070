"""/api/schema/docs/ in a real headless Chromium, with every request off the loopback refused: the page must
render the whole API from what the process serves itself."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Route, sync_playwright

from tests.app.servers import serving
from tests.cli.helpers import database_url
from tests.sdk.toolchains import chromium

pytestmark = pytest.mark.slow

__all__ = ["database_url"]


def test_docs_page_renders_offline(database_url: str, tmp_path: Path) -> None:
    refused: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with serving(database_url, tmp_path) as host, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True)
        try:
            page = browser.new_page()

            def offline(route: Route) -> None:
                if urlparse(route.request.url).hostname == "127.0.0.1":
                    route.continue_()
                else:
                    refused.append(route.request.url)
                    route.abort()

            page.route("**/*", offline)
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(f"{host}/api/schema/docs/")
            page.wait_for_selector(".opblock", timeout=30_000)
            operations = page.locator(".opblock").count()
            title = page.locator(".info .title").inner_text()
        finally:
            browser.close()
    assert refused == [] and failed == [] and errors == []
    assert "eventschema" in title
    assert operations >= 40  # every documented operation, capture and health included
