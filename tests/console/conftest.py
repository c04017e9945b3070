"""Fixtures of the console's browser tests: one real `eventschema serve` per module and back end, with a user made
by `eventschema bootstrap --json` (its password), one headless Chromium (Debian's) per module, and a fresh browser
context per test.

    from tests.console.a11y import check_page
    from tests.console.browser import ConsoleServer, screenshot, sign_in

    def test_something(console: ConsoleServer, page: Page) -> None:
        sign_in(page, console)                        # lands on the Events page
        page.goto(console.page_url("events/"))
        check_page(page)                              # tests.console.a11y
        screenshot(page, "events-list", console)      # tests/console/screenshots/events-list-<back end>.png
        console.api("POST", "event_definitions/", json={"name": "signed_up"})   # as the user, with their key

Every page a test opens is watched: a script error, a console error (e.g. a Content-Security-Policy violation) or
a page or file answered with an error (an /api/ answer aside: pages show those) fails the test when it ends
(`page_errors`).
"""

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

from tests.app.servers import serving
from tests.cli.helpers import run_cli_sync
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.console.browser import ConsoleServer
from tests.sdk.toolchains import chromium


@pytest.fixture(scope="module", params=BACKENDS)
async def console_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('console') / 'console.db'}"
        return
    url, name = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(name)


@pytest.fixture(scope="module")
def console(console_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    directory = tmp_path_factory.mktemp("console-server")
    account = run_cli_sync("bootstrap", "--json", database_url=console_database_url, cwd=directory).json()
    backend = "sqlite" if console_database_url.startswith("sqlite") else "postgresql"
    with serving(console_database_url, directory) as host:
        yield ConsoleServer(
            url=host,
            backend=backend,
            database_url=console_database_url,
            project_id=account["project_id"],
            email=account["email"],
            password=account["password"],
            api_key=account["api_key"],
        )


@pytest.fixture(scope="module")
def browser(console: ConsoleServer) -> Iterator[Browser]:
    """One per module and back end: it must close before the back end's database is dropped (an async fixture,
    which cannot be finalized while Playwright's event loop runs)."""
    del console
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


def _console_error(errors: list[str], message: ConsoleMessage) -> None:
    # An API answer of 4xx is logged by Chromium as a failed load; the page shows those itself (`failed_loads`
    # catches the console's own files).
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _failed_load(errors: list[str], response: Response) -> None:
    if response.status >= 400 and "/api/" not in response.url:
        errors.append(f"{response.status} {response.url}")


@pytest.fixture
def page(browser: Browser, page_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.on("console", lambda message: _console_error(page_errors, message))
    opened.on("pageerror", lambda error: page_errors.append(str(error)))
    opened.on("response", lambda response: _failed_load(page_errors, response))
    try:
        yield opened
    finally:
        context.close()
    assert page_errors == []
