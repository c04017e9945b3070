"""The Property groups and Code pages in a real Chromium, as a person uses them: create a group, add three
properties (one refused with the API's message next to its rules, then fixed), change one in place, link the group
to an event, then preview and download the generated code. Each page is checked for labels, one h1 and keyboard
reach, and photographed."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.console.a11y import check_page
from tests.console.browser import ConsoleServer, screenshot, sign_in


def _add_property(page: Page, name: str, property_type: str, required: bool, rules: str = "") -> None:
    form = page.locator("#new-property")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Type").select_option(property_type)
    form.get_by_label("Required").set_checked(required)
    form.get_by_label("Rules (JSON)").fill(rules)
    form.get_by_role("button", name="Add property").click()


def test_create_a_group_fix_a_refused_rule_link_it_and_download_its_code(
    console: ConsoleServer, page: Page, tmp_path: Path
) -> None:
    console.api("POST", "event_definitions/", json={"name": "checkout_completed"})
    sign_in(page, console)

    page.get_by_role("link", name="Property groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Property groups")
    expect(page.get_by_text("No property groups yet")).to_be_visible()
    check_page(page)
    screenshot(page, "groups-empty", console)

    page.get_by_label("New group").fill("cart")
    page.get_by_label("Description").fill("What was bought")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("cart")
    group_id = re.search(r"/groups/([0-9a-f-]+)/$", page.url)[1]  # type: ignore[index]

    # A rule that does not fit the type, typed as JSON: the API's message appears next to the rules, nothing is saved.
    _add_property(page, "total", "Numeric", True, '{"minLength": 1}')
    error = page.locator("#new-property-validation_rules-error")
    expect(error).to_have_text('"minLength" does not apply to a Numeric property (only to String).')
    expect(page.locator("#new-property-rules")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "group-rule-error", console)
    assert console.api("GET", f"schema_property_groups/{group_id}/")["properties"] == []
    _add_property(page, "total", "Numeric", True, '{"minimum": 0}')
    expect(page.locator("#property-1-name")).to_have_value("total")

    # The same through the rule inputs, which write the JSON: the message goes next to the input of that rule.
    form = page.locator("#new-property")
    form.get_by_label("Name").fill("currency")
    form.get_by_label("Required").check()
    form.get_by_text("Common rules").click()
    form.get_by_label("Minimum").fill("0")
    expect(form.get_by_label("Rules (JSON)")).to_have_value('{"minimum":0}')
    form.get_by_role("button", name="Add property").click()
    expect(page.locator("#new-property-validation_rules__minimum-error")).to_have_text(
        '"minimum" does not apply to a String property (only to Numeric).'
    )
    form.get_by_label("Minimum").fill("")
    form.get_by_label("Allowed values, one per line").fill("EUR\nUSD")
    expect(form.get_by_label("Rules (JSON)")).to_have_value('{"enum":["EUR","USD"]}')
    form.get_by_role("button", name="Add property").click()
    expect(page.locator("#property-1-name")).to_have_value("currency")
    expect(page.locator("#property-1-enum")).to_have_value("EUR\nUSD")
    _add_property(page, "coupon", "String", False)
    expect(page.locator("#property-1-name")).to_have_value("coupon")

    # In place: rename coupon, describe it; a rules field that is not JSON is refused next to it.
    coupon = page.locator("#property-1")
    coupon.get_by_label("Rules (JSON)").fill("{enum: [")
    coupon.get_by_role("button", name="Save").click()
    expect(page.locator("#property-1-validation_rules-error")).to_contain_text("Not valid JSON")
    coupon.get_by_label("Rules (JSON)").fill("")
    coupon.get_by_label("Name").fill("coupon_code")
    coupon.get_by_label("Description").fill("As typed at checkout")
    with page.expect_navigation():  # saved: the page reloads
        coupon.get_by_role("button", name="Save").click()
    expect(page.locator("#property-1-name")).to_have_value("coupon_code")

    page.get_by_label("Link an event").select_option(label="checkout_completed")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_role("link", name="checkout_completed")).to_be_visible()
    check_page(page)
    screenshot(page, "group-editor", console)

    stored = console.api("GET", f"schema_property_groups/{group_id}/")
    assert [(p["name"], p["property_type"], p["is_required"]) for p in stored["properties"]] == [
        ("coupon_code", "String", False),
        ("currency", "String", True),
        ("total", "Numeric", True),
    ]
    assert stored["properties"][0]["description"] == "As typed at checkout"
    assert stored["properties"][1]["validation_rules"] == {"enum": ["EUR", "USD"]}
    assert [event["name"] for event in stored["events"]] == ["checkout_completed"]

    # The event's page links back to the editor.
    page.get_by_role("link", name="checkout_completed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("checkout_completed")
    page.get_by_role("link", name="cart").click()
    expect(page).to_have_url(console.page_url(f"groups/{group_id}/"))

    page.get_by_role("link", name="Code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code")
    generated = console.api("GET", "event_definitions/typescript/")
    expect(page.locator("#schema-hash")).to_have_text(generated["schema_hash"])
    expect(page.locator("pre.code")).to_contain_text("checkout_completed")
    check_page(page)
    screenshot(page, "code-typescript", console)
    with page.expect_download() as started:
        page.get_by_role("link", name="Download posthog-typed.ts").click()
    download = started.value
    assert download.suggested_filename == "posthog-typed.ts"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == generated["content"]

    page.get_by_role("link", name="Python").click()
    expect(page.locator("pre.code")).to_contain_text("currency")
    expect(page.get_by_role("link", name="Download posthog_typed.py")).to_be_visible()
    screenshot(page, "code-python", console)

    page.get_by_role("link", name="Property groups").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="cart"))
    expect(row).to_contain_text("checkout_completed")
    expect(row.locator("td.num")).to_have_text("3")
    check_page(page)
    screenshot(page, "groups-list", console)

    # Removing and unlinking ask first, then take effect.
    row.get_by_role("link", name="cart").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Remove coupon_code").click()
    page.get_by_role("button", name="Unlink checkout_completed").click()
    expect(page.get_by_text("No event is linked to this group")).to_be_visible()
    stored = console.api("GET", f"schema_property_groups/{group_id}/")
    assert [p["name"] for p in stored["properties"]] == ["currency", "total"]
    assert stored["events"] == []
