"""The Settings and Members pages in a real Chromium. Settings: change the validation mode, create a personal API
key (its value shown once, and working against the API), revoke it (refused from then on), rotate the project API
key after a confirmation. Members: invite someone (the link shown once), change a level. Each page is checked for
labels, one h1 and keyboard reach, and photographed."""

import re

import requests
from playwright.sync_api import Dialog, Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, screenshot, sign_in


def _get(console: ConsoleServer, key: str) -> int:
    url = f"{console.url}/api/projects/{console.project_id}/event_definitions/"
    return requests.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=30).status_code


def test_validation_mode_and_a_personal_api_key_from_creation_to_revocation(console: ConsoleServer, page: Page) -> None:
    dialogs: list[str] = []

    def accept(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    sign_in(page, console)
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    check_page(page)
    screenshot(page, "settings", console)

    page.get_by_label("Check events with").select_option("strict")
    with page.expect_navigation():  # the page reloads once the API has answered
        page.locator("#validation").get_by_role("button", name="Save").click()
    expect(page.get_by_label("Check events with")).to_have_value("strict")
    assert console.api("GET", "validation_settings/")["validation_mode"] == "strict"

    page.get_by_label("Label").fill("browser test key")
    page.get_by_label("Scopes").select_option(["event_definition:read"])
    page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-key-value")
    expect(shown).to_have_text(re.compile(r"^phx_\w+$"))
    value = shown.inner_text()
    screenshot(page, "settings-new-key", console)
    assert _get(console, value) == 200

    page.get_by_role("link", name="Done").click()
    expect(page.locator("#new-key")).to_be_hidden()
    assert value not in page.content()
    row = page.get_by_role("row").filter(has_text="browser test key")
    expect(row).to_contain_text(f"{value[:4]}...{value[-4:]}")
    expect(row).to_contain_text("event_definition:read")
    check_page(page)
    screenshot(page, "settings-keys", console)

    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row").filter(has_text="browser test key")).to_have_count(0)
    assert any("Revoke this key?" in message for message in dialogs)
    assert _get(console, value) == 401

    old_token = console.api("GET", "")["api_token"]
    page.get_by_role("button", name="Rotate key").click()
    expect(page.locator("#project-token")).not_to_have_text(old_token)
    new_token = console.api("GET", "")["api_token"]
    assert new_token != old_token
    expect(page.locator("#project-token")).to_have_text(new_token)
    assert any("Rotate the project API key?" in message for message in dialogs)


def test_invite_someone_and_change_a_level(console: ConsoleServer, page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, console)
    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.get_by_role("cell", name=console.email)).to_be_visible()
    check_page(page)

    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Level", exact=True).select_option("8")
    page.get_by_role("button", name="Invite").click()
    link = page.locator("#new-invite-link")
    expect(link).to_have_text(re.compile(r"/api/signup/\S+/$"))
    screenshot(page, "members-invited", console)
    invite_link = link.inner_text()
    signup = requests.get(invite_link, timeout=30)
    assert signup.status_code == 200
    assert signup.json()["target_email"] == "ada@example.com"

    page.get_by_role("link", name="Done").click()
    invite_row = page.get_by_role("row").filter(has_text="ada@example.com")
    expect(invite_row).to_contain_text("admin")

    accepted = requests.post(invite_link, json={"password": "a long password", "first_name": "Ada"}, timeout=30)
    assert accepted.status_code in (200, 201), accepted.text
    page.reload()
    page.get_by_label("Level of ada@example.com", exact=True).select_option("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the level of ada@example.com").click()
    expect(page.get_by_label("Level of ada@example.com", exact=True)).to_have_value("1")
    members = requests.get(
        f"{console.url}/api/organizations/@current/members/",
        headers={"Authorization": f"Bearer {console.api_key}"},
        timeout=30,
    ).json()["results"]
    assert {m["user"]["email"]: m["level"] for m in members}["ada@example.com"] == 1
    check_page(page)
    screenshot(page, "members", console)
