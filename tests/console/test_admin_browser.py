"""The Settings and Members pages in a real Chromium. Settings: change the validation mode, create a personal API
key (its value shown once, and working against the API), revoke it (refused from then on), rotate the project API
key after a confirmation. Members: invite someone (the link shown once), change a level. Drift: accept the proposal
for an unplanned event (edited as JSON, created as a group, linked). History: the versions that made. Each page is
checked for labels, one h1 and keyboard reach, and photographed."""

import json
import re
import time

import requests
from playwright.sync_api import Dialog, Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, create_read_key, screenshot, sign_in


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

    value = create_read_key(page, "browser test key")
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


def _send_unplanned_traffic(console: ConsoleServer) -> None:
    token = console.api("GET", "")["api_token"]
    batch = [
        {"event": "video_played", "distinct_id": f"user-{n}", "properties": {"video_id": f"v{n}", "seconds": n}}
        for n in range(3)
    ]
    response = requests.post(f"{console.url}/batch/", json={"api_key": token, "batch": batch}, timeout=30)
    assert response.ok, response.text
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # the server writes what it observed every second
        report = console.api("GET", "drift/")["results"]
        if any(item["event"] == "video_played" for item in report):
            return
        time.sleep(0.2)
    raise AssertionError("video_played never reached the drift report")


def test_accept_a_drift_proposal_then_see_it_in_history(console: ConsoleServer, page: Page) -> None:
    _send_unplanned_traffic(console)
    sign_in(page, console)
    page.get_by_role("link", name="Drift", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drift")
    row = page.get_by_role("row").filter(has_text="video_played")
    expect(row).to_contain_text("unplanned event")
    check_page(page)
    screenshot(page, "drift", console)

    row.get_by_role("link", name="Accept a proposal for video_played").click()
    draft_field = page.get_by_label("Property group draft (JSON)")
    draft = json.loads(draft_field.input_value())
    assert sorted(p["name"] for p in draft["properties"]) == ["seconds", "video_id"]
    if page.get_by_role("button", name="Create the definition of video_played").count():
        page.get_by_role("button", name="Create the definition of video_played").click()
        draft = json.loads(page.get_by_label("Property group draft (JSON)").input_value())
    check_page(page)
    screenshot(page, "drift-proposal", console)

    # A mistake in the draft is explained, and nothing is created.
    draft_field.fill("{not json")
    page.get_by_role("button", name="Create the group and link it").click()
    expect(page.locator("#accept-draft-error")).to_contain_text("Not valid JSON")
    expect(draft_field).to_have_attribute("aria-invalid", "true")

    draft["name"] = "video playback"
    draft_field.fill(json.dumps(draft, indent=2))
    page.get_by_role("button", name="Create the group and link it").click()
    page.wait_for_url(re.compile(r"/projects/\d+/events/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("video_played")
    expect(page.get_by_role("heading", name="video playback")).to_be_visible()
    definition = console.api("GET", "event_definitions/by_name/", params={"name": "video_played"})
    links = console.api("GET", "event_schemas/", params={"event_definition": definition["id"]})
    assert [link["property_group"]["name"] for link in links["results"]] == ["video playback"]
    page.goto(console.page_url("drift/"))
    expect(page.get_by_role("row").filter(has_text="video_played")).to_have_count(0)

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    expect(page.locator(".diff-title").first).to_be_visible()
    expect(page.locator("#main table").last).to_contain_text("created SchemaPropertyGroup video playback")
    expect(page.locator("#main table").last).to_contain_text("created EventSchema")
    check_page(page)
    screenshot(page, "history", console)
