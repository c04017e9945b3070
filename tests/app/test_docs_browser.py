"""/api/schema/docs/ in a real headless Chromium, with every request off the loopback refused: the page must
render the whole API from what the process serves itself."""

import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Route, sync_playwright

from tests.app.servers import serving
from tests.cli.helpers import database_url

__all__ = ["database_url"]

CHROMIUM = Path("/usr/bin/chromium")


def _chromium() -> str:
    """Debian's Chromium (never a browser downloaded by Playwright), installed with apt when missing."""
    if not CHROMIUM.exists():
        install = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"
        result = subprocess.run(["sh", "-c", install], capture_output=True, text=True, check=False)
        if not CHROMIUM.exists():
            pytest.fail(f"{CHROMIUM} is missing and could not be installed ({install}):\n{result.stderr}")
    return str(CHROMIUM)


def test_docs_page_renders_offline(database_url: str, tmp_path: Path) -> None:
    refused: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with serving(database_url, tmp_path) as host, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), headless=True)
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
