"""The Events pages in a real Chromium, as a person uses them: sign in, find an event in the list, open it, switch
its enforcement to reject (through the API, with the session's CSRF token), see a refused change explained next to
its field, sign out. Each page is checked for labels, one h1 and keyboard reach, and photographed."""

import re

from playwright.sync_api import Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, screenshot, sign_in


def _seed(console: ConsoleServer) -> str:
    """A small plan: a few events, one with a group of three properties; the id of that one."""
    definitions = {}
    for name in ("checkout_completed", "signed_up", "page_viewed", "<script>alert(1)</script>"):
        definitions[name] = console.api("POST", "event_definitions/", json={"name": name})["id"]
    group = console.api(
        "POST",
        "schema_property_groups/",
        json={
            "name": "cart",
            "description": "What was bought",
            "properties": [
                {"name": "total", "property_type": "Numeric", "is_required": True},
                {"name": "currency", "property_type": "String", "is_required": True},
                {"name": "coupon", "property_type": "String"},
            ],
        },
    )
    console.api(
        "POST",
        "event_schemas/",
        json={"event_definition": definitions["checkout_completed"], "property_group_id": group["id"]},
    )
    return str(definitions["checkout_completed"])


def test_sign_in_browse_events_change_enforcement_and_sign_out(console: ConsoleServer, page: Page) -> None:
    definition_id = _seed(console)

    page.goto(console.page_url("events/"))
    expect(page).to_have_url(re.compile(r"/login/\?next=/projects/\d+/events/$"))
    check_page(page)
    screenshot(page, "login", console)
    sign_in(page, console)

    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    expect(page.get_by_role("link", name="<script>alert(1)</script>")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="checkout_completed"))
    expect(row).to_contain_text("cart")
    expect(row).to_contain_text("allow")
    check_page(page)
    screenshot(page, "events-list", console)

    page.get_by_label("Search events").fill("checkout")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="signed_up")).to_have_count(0)
    page.get_by_role("link", name="checkout_completed").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("checkout_completed")
    expect(page.get_by_role("cell", name="currency")).to_be_visible()
    expect(page.get_by_text("Nothing quarantined")).to_be_visible()
    check_page(page)
    screenshot(page, "event", console)

    page.get_by_label("When an event breaks its schema").select_option("reject")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".page-header .badge")).to_have_text("reject")
    assert console.api("GET", f"event_definitions/{definition_id}/")["enforcement_mode"] == "reject"

    # The API's message for a refused change appears next to its field.
    page.locator("#enforcement-mode").evaluate("select => { select.options[0].value = 'sometimes'; }")
    page.get_by_label("When an event breaks its schema").select_option(index=0)
    page.get_by_role("button", name="Save").click()
    error = page.locator("#enforcement-enforcement_mode-error")
    expect(error).to_have_text('"sometimes" is not a valid choice.')
    expect(page.get_by_label("When an event breaks its schema")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "event-error", console)
    assert console.api("GET", f"event_definitions/{definition_id}/")["enforcement_mode"] == "reject"

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{console.url}/login/")
    page.goto(console.page_url("events/"))
    expect(page).to_have_url(re.compile(r"/login/\?next="))
