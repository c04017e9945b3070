"""The console from sign-in to sign-out in one sitting, in a real Chromium, as a team member would use it: create a
group with three properties, link it to an event, switch the event to `reject`, send a bad event through `/batch/`
with the official `posthog` SDK, find it in Violations and Quarantine, fix the schema in the group editor, replay
the event, see it in Live events, create a personal API key and revoke it, sign out. Every page on the way is
checked for labels, one h1 and keyboard reach, and photographed (tests/console/screenshots/flow-*.png)."""

import re

import requests
from playwright.sync_api import Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, create_read_key, nav, screenshot, send_with_sdk, sign_in


def _add_property(page: Page, name: str, property_type: str, required: bool) -> None:
    form = page.locator("#new-property")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Type").select_option(property_type)
    form.get_by_label("Required").set_checked(required)
    form.get_by_role("button", name="Add property").click()


def _status_with_key(console: ConsoleServer, key: str) -> int:
    response = requests.get(
        f"{console.url}/api/projects/{console.project_id}/event_definitions/",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    return response.status_code


def test_from_a_new_group_to_a_replayed_event_and_a_revoked_key(console: ConsoleServer, page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    console.api("POST", "event_definitions/", json={"name": "order placed"})
    sign_in(page, console)

    # A group with three properties, linked to the event.
    nav(page, "Property groups")
    page.get_by_label("New group").fill("order")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("order")
    _add_property(page, "order_id", "String", True)
    expect(page.locator("#property-1-name")).to_have_value("order_id")
    _add_property(page, "total", "Numeric", True)
    expect(page.locator("#property-2-name")).to_have_value("total")
    _add_property(page, "coupon", "String", False)
    expect(page.locator("#property-1-name")).to_have_value("coupon")
    page.get_by_label("Link an event").select_option(label="order placed")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_role("link", name="order placed", exact=True)).to_be_visible()
    check_page(page)
    screenshot(page, "flow-group", console)

    # The event now rejects what breaks the group.
    page.get_by_role("link", name="order placed", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("order placed")
    page.get_by_label("When an event breaks its schema").select_option("reject")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".page-header .badge")).to_have_text("reject")
    check_page(page)
    screenshot(page, "flow-event", console)

    # A total sent as text: refused, counted and kept back.
    send_with_sdk(console, ("order placed", "ada", {"order_id": "o-1", "total": "12.50 EUR"}))
    nav(page, "Violations")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="total", exact=True))
    expect(row).to_contain_text("type_mismatch")
    check_page(page)
    screenshot(page, "flow-violations", console)
    nav(page, "Quarantine")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the event
    check_page(page)
    screenshot(page, "flow-quarantine", console)

    # Fixed in the editor: the total may be text.
    nav(page, "Property groups")
    page.get_by_role("link", name="order", exact=True).click()
    expect(page.locator("#property-3-name")).to_have_value("total")
    total = page.locator("#property-3")
    total.get_by_label("Type").select_option("String")
    with page.expect_navigation():  # saved: the page reloads
        total.get_by_role("button", name="Save").click()
    expect(page.locator("#property-3").get_by_label("Type")).to_have_value("String")
    group = console.api("GET", "schema_property_groups/")["results"][0]
    assert {p["name"]: p["property_type"] for p in group["properties"]}["total"] == "String"

    # Replayed from the Quarantine page, then seen in Live events.
    nav(page, "Quarantine")
    page.get_by_label(re.compile(r"^Select order placed")).check()
    page.get_by_role("button", name="Replay selected").click()
    expect(page.locator("#replay-outcome")).to_have_text(re.compile(r"1 replayed"))
    assert console.api("GET", "quarantine/")["count"] == 0
    nav(page, "Live events")
    expect(page.locator("#live-table").get_by_role("cell", name="ada", exact=True)).to_have_count(1)
    check_page(page)
    screenshot(page, "flow-live", console)

    # A personal API key: shown once, works, revoked, refused.
    nav(page, "Settings")
    key = create_read_key(page, "flow key")
    assert _status_with_key(console, key) == 200
    page.get_by_role("link", name="Done").click()
    page.get_by_role("row").filter(has_text="flow key").get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row").filter(has_text="flow key")).to_have_count(0)
    assert _status_with_key(console, key) == 401
    check_page(page)
    screenshot(page, "flow-settings", console)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{console.url}/login/")
    page.goto(console.page_url("quarantine/"))
    expect(page).to_have_url(re.compile(r"/login/\?next="))
