"""Violations, Quarantine and Live events in a real Chromium, as whoever is on call uses them: a bad event sent
with the official `posthog` SDK to an event that rejects it shows up in Violations and Quarantine; its payload is
inspected; another bad one is deleted; the schema is fixed through the API; the event is replayed from the
Quarantine page, which says how it went; it and a new event appear in Live events by themselves, which can be
paused. Each page is checked for labels, one h1 and keyboard reach, and photographed."""

import re

from playwright.sync_api import Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, nav, screenshot, send_with_sdk, sign_in

SIGNUP = [
    {"name": "plan", "property_type": "String", "is_required": True},
    {"name": "seats", "property_type": "Numeric", "is_required": True},
    {"name": "referrer", "property_type": "String"},
]


def _plan(console: ConsoleServer) -> str:
    """ "signed up" rejects what breaks the "signup" group; the group's id."""
    definition = console.api("POST", "event_definitions/", json={"name": "signed up", "enforcement_mode": "reject"})
    group = console.api("POST", "schema_property_groups/", json={"name": "signup", "properties": SIGNUP})
    console.api("POST", "event_schemas/", json={"event_definition": definition["id"], "property_group_id": group["id"]})
    return str(group["id"])


def test_a_rejected_event_seen_fixed_replayed_and_seen_arriving(console: ConsoleServer, page: Page) -> None:
    group_id = _plan(console)
    sign_in(page, console)
    send_with_sdk(
        console,
        ("signed up", "ada", {"plan": "pro", "seats": 3}),
        ("signed up", "bob", {"plan": "pro", "seats": "lots"}),
        ("signed up", "cy", {"plan": "team", "seats": "many"}),
    )

    # Violations: the pair, with its counts, linked to the event.
    nav(page, "Violations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Violations")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="seats", exact=True))
    expect(row).to_contain_text("type_mismatch 2")
    expect(row.get_by_role("cell")).to_have_text(["signed up", "seats", "type_mismatch 2", "2", "2"])
    expect(page.locator("svg[role=img] g title").first).to_have_text(
        "signed up · seats: 2 in the last 24 hours, 2 in the last 7 days"
    )
    check_page(page)
    screenshot(page, "violations", console)
    row.get_by_role("link", name="signed up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("signed up")

    # Quarantine: both, newest first; filter by reason; inspect one; delete the other.
    nav(page, "Quarantine")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarantine")
    expect(page.get_by_role("row")).to_have_count(3)
    page.get_by_role("button", name="Replay selected").click()
    expect(page.get_by_role("alert")).to_have_text("Select at least one first.")
    page.get_by_label("Reason").select_option("type_mismatch")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"reason=type_mismatch"))
    check_page(page)
    screenshot(page, "quarantine", console)

    page.get_by_role("row").filter(has_text="cy").get_by_role("link", name="Inspect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("signed up")
    expect(page.locator("pre.payload").first).to_contain_text('"seats": "many"')
    check_page(page)
    screenshot(page, "quarantined-event", console)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarantine")
    expect(page.get_by_role("row")).to_have_count(2)

    # The schema is fixed (seats may be text); bob's event is replayed from the page, which says how it went.
    fixed = [{**prop, "property_type": "String"} if prop["name"] == "seats" else prop for prop in SIGNUP]
    console.api("PATCH", f"schema_property_groups/{group_id}/", json={"properties": fixed})
    page.get_by_label(re.compile(r"^Select signed up")).check()
    page.get_by_role("button", name="Replay selected").click()
    expect(page.locator("#replay-outcome")).to_have_text(re.compile(r"1 replayed"))
    expect(page.get_by_text("Nothing quarantined")).to_be_visible()
    screenshot(page, "quarantine-replayed", console)
    assert console.api("GET", "quarantine/")["count"] == 0

    # Live events: the replayed event is in the log; a new one appears without a reload, unless paused.
    nav(page, "Live events")
    expect(page.get_by_role("heading", level=1)).to_have_text("Live events")
    table = page.locator("#live-table")
    expect(table.get_by_role("cell", name="bob", exact=True)).to_have_count(1)
    expect(table.get_by_role("cell", name="ada", exact=True)).to_have_count(1)
    send_with_sdk(console, ("page viewed", "dee", {"path": "/pricing"}))
    expect(table.get_by_role("cell", name="dee", exact=True)).to_have_count(1, timeout=10_000)
    expect(page.locator("#live-summary")).to_have_text("The 3 newest of 3 events")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    send_with_sdk(console, ("page viewed", "eve", {"path": "/docs"}))
    page.wait_for_timeout(4000)
    expect(table.get_by_role("cell", name="eve", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Resume").click()
    expect(table.get_by_role("cell", name="eve", exact=True)).to_have_count(1, timeout=10_000)
    check_page(page)
    screenshot(page, "live", console)

    page.get_by_label("Event name").fill("page viewed")
    page.get_by_role("button", name="Filter").click()
    expect(table.get_by_role("cell", name="bob", exact=True)).to_have_count(0)
    expect(table.get_by_role("cell", name="dee", exact=True)).to_have_count(1)
