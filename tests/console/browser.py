"""What the console's browser tests share besides their fixtures (conftest.py): the server a module runs, signing
in through the form, and screenshots under tests/console/screenshots/ (git-ignored)."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Page, expect
from posthog import Posthog

SCREENSHOTS = Path(__file__).parent / "screenshots"


@dataclass
class ConsoleServer:
    url: str
    backend: str
    database_url: str
    project_id: int
    email: str
    password: str
    api_key: str

    def page_url(self, path: str = "") -> str:
        return f"{self.url}/projects/{self.project_id}/{path}"

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """A request to the project's API (`path` under /api/projects/<id>/) with the user's key; its JSON."""
        response = requests.request(
            method,
            f"{self.url}/api/projects/{self.project_id}/{path}",
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=30,
            **kwargs,
        )
        assert response.ok, response.text
        return response.json() if response.content else None


def sign_in(page: Page, console: ConsoleServer) -> None:
    """Through the sign-in form, as a person would; ends on the Events page."""
    page.goto(f"{console.url}/login/")
    page.get_by_label("Email").fill(console.email)
    page.get_by_label("Password").fill(console.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{console.url}/projects/*/events/")


def screenshot(page: Page, name: str, console: ConsoleServer) -> Path:
    """A full-page screenshot under tests/console/screenshots/ (git-ignored), one per back end, taken from the top
    of the page (scrolled down, e.g. by the keyboard checks, the sticky navigation would be drawn lower down)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{console.backend}.png"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)
    return path


def send_with_sdk(console: ConsoleServer, *events: tuple[str, str, dict[str, object]]) -> None:
    """(event, distinct id, properties) through /batch/ with the official `posthog` SDK, as an application would."""
    token = console.api("GET", "")["api_token"]
    failures: list[str] = []
    client = Posthog(
        token,
        host=console.url,
        sync_mode=True,
        max_retries=0,
        on_error=lambda error, _items: failures.append(repr(error)),
    )
    for name, distinct_id, properties in events:
        client.capture(name, distinct_id=distinct_id, properties=properties)
    client.flush()
    client.shutdown()
    assert failures == []


def nav(page: Page, label: str) -> None:
    """Follow a link of the left-hand navigation."""
    page.get_by_role("navigation", name="Console").get_by_role("link", name=label, exact=True).click()


def create_read_key(page: Page, label: str) -> str:
    """On the Settings page: a personal API key that may read event definitions, created through the form; its
    value, as the page shows it once."""
    page.get_by_label("Label").fill(label)
    page.get_by_label("Scopes").select_option(["event_definition:read"])
    page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-key-value")
    expect(shown).to_have_text(re.compile(r"^phx_\w+$"))
    return shown.inner_text()
