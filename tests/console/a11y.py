"""Accessibility basics every console page is held to, for the browser tests (Playwright's sync API):

    from tests.console.a11y import check_page
    check_page(page)          # labels, one h1, Tab reaches every button, no console errors so far

or each check alone: `every_field_has_a_label(page)`, `one_h1(page)`, `tab_reaches_every_button(page)`.
"""

from playwright.sync_api import Page

_UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(field => !(field.labels && field.labels.length) && !field.getAttribute('aria-label')
    && !field.getAttribute('aria-labelledby'))
  .map(field => field.outerHTML)"""

# Marks every visible button (and link styled as one) with an index, and says how many there are.
_MARK_BUTTONS = """() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const buttons = Array.from(document.querySelectorAll('button, [role=button], input[type=submit]')).filter(visible);
  buttons.forEach((el, i) => el.setAttribute('data-a11y-button', String(i)));
  return buttons.map(el => el.outerHTML);
}"""
_FOCUSED = "() => document.activeElement && document.activeElement.getAttribute('data-a11y-button')"


def every_field_has_a_label(page: Page) -> None:
    unlabelled = page.evaluate(_UNLABELLED)
    assert unlabelled == [], f"{page.url}: fields without a label: {unlabelled}"


def one_h1(page: Page) -> None:
    count = page.locator("h1").count()
    assert count == 1, f"{page.url}: {count} h1 elements"


def tab_reaches_every_button(page: Page, max_tabs: int = 300) -> None:
    """Pressing Tab from the top of the page focuses each visible button in turn."""
    buttons = page.evaluate(_MARK_BUTTONS)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator("body").focus()
    reached: set[str] = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is not None:
            reached.add(focused)
        if len(reached) == len(buttons):
            break
    missed = [html for index, html in enumerate(buttons) if str(index) not in reached]
    assert missed == [], f"{page.url}: Tab never reaches {missed}"


def check_page(page: Page) -> None:
    every_field_has_a_label(page)
    one_h1(page)
    tab_reaches_every_button(page)
