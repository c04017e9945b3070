"""The Violations page over HTTP, on both back ends: counts of the last 24 hours and 7 days per event and
property, worst first, a bar per pair with its numbers in a <title>, links to the events, paging, constant
statements, the empty state, 404 for another project and every name escaped."""

import re

from eventschema.console.violations.service import CHART_BARS, PAGE_SIZE
from tests.app.helpers import foreign_project
from tests.console import seed
from tests.console.helpers import console_user, sign_in
from tests.factories import StatementCounter

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
_ROW = re.compile(
    r"<tr>\s*<td>(?:<a href=\"([^\"]*)\">)?([^<]*)(?:</a>)?</td>\s*<td><code>([^<]*)</code></td>(.*?)</tr>", re.S
)


def _rows(html: str) -> list[tuple[str, str, str, str]]:
    """(link, event, property, the rest of the row) of the table."""
    return [(m[1] or "", m[2], m[3], m[4]) for m in _ROW.finditer(html)]


async def test_counts_of_the_last_day_and_week_worst_first_with_a_bar_each(client, db) -> None:
    user = await console_user(db)
    await seed.definitions(db, user.project_id, ["signed_up", "checkout"])
    await seed.violations(
        db,
        user.project_id,
        [
            ("signed_up", "plan", "missing_required", 5, 0),
            ("signed_up", "plan", "type_mismatch", 2, 23),
            ("signed_up", "plan", "missing_required", 40, 24),  # the week only
            ("checkout", "total", "rule_failed", 100, 30),
            ("checkout", "total", "rule_failed", 3, 1),
            ("checkout", "coupon", "type_mismatch", 1, 6 * 24),
            ("gone", "x", "type_mismatch", 1000, 7 * 24),  # older than 7 days
            ("deleted_event", "x", "type_mismatch", 9, 2),  # no definition: no link
        ],
    )
    await sign_in(client, user)

    page = await client.get(user.page("violations/"))

    assert page.status_code == 200
    assert page.text.count("<h1>") == 1
    rows = _rows(page.text)
    assert [(event, prop) for _link, event, prop, _rest in rows] == [
        ("checkout", "total"),
        ("signed_up", "plan"),
        ("deleted_event", "x"),
        ("checkout", "coupon"),
    ]
    cells = {(event, prop): re.findall(r'<td class="num">(.*?)</td>', rest) for _l, event, prop, rest in rows}
    assert cells[("checkout", "total")] == ['<span class="count-bad">3</span>', "103"]
    assert cells[("signed_up", "plan")] == ['<span class="count-bad">7</span>', "47"]
    assert cells[("checkout", "coupon")] == ["0", "1"]
    assert "missing_required 45" in page.text and "type_mismatch 2" in page.text
    links = {event: link for link, event, _p, _r in rows}
    assert re.fullmatch(rf"/projects/{user.project_id}/events/[0-9a-f-]{{36}}/", links["checkout"])
    assert links["deleted_event"] == ""
    # The chart: a bar per pair, its numbers in a <title>; no inline style or script.
    assert page.text.count('<rect class="bar-week"') == 4 + 1  # and the legend's
    assert "<title>checkout · total: 3 in the last 24 hours, 103 in the last 7 days</title>" in page.text
    assert 'role="img"' in page.text and "style=" not in page.text and "<script>" not in page.text.split("</head>")[1]
    assert "gone" not in page.text


async def test_pages_of_pairs_and_a_chart_of_the_worst(client, db) -> None:
    user = await console_user(db)
    counts = [(f"event_{i:03}", "p", "type_mismatch", 1000 - i, 1) for i in range(PAGE_SIZE + 5)]
    await seed.violations(db, user.project_id, counts)
    await sign_in(client, user)

    first = await client.get(user.page("violations/"))
    second = await client.get(user.page("violations/?page=2"))
    past = await client.get(user.page("violations/?page=9"))

    assert [event for _l, event, _p, _r in _rows(first.text)] == [f"event_{i:03}" for i in range(PAGE_SIZE)]
    assert first.text.count("<title>event_") == CHART_BARS
    assert [event for _l, event, _p, _r in _rows(second.text)] == [
        f"event_{i:03}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]
    assert f"51\u201355 of {PAGE_SIZE + 5}" in second.text
    assert "This page is past the last violation" in past.text


async def test_statements_do_not_grow_with_the_rows(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    counts = []
    for total in (3, 300):
        await seed.violations(
            db, user.project_id, [(f"e{total}_{i}", "p", "type_mismatch", 1, i % 100) for i in range(total)]
        )
        with StatementCounter(db) as counter:
            assert (await client.get(user.page("violations/"))).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 7


async def test_empty_state_404_and_escaping(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    foreign = await foreign_project(db)
    await sign_in(client, user)

    empty = await client.get(user.page("violations/"))
    assert "No violations in the last 7 days" in empty.text
    assert (await client.get(f"/projects/{foreign}/violations/")).status_code == 404

    await seed.definitions(db, user.project_id, [SCRIPT])
    await seed.violations(db, user.project_id, [(SCRIPT, SCRIPT, "type_mismatch", 1, 0)])
    page = await client.get(user.page("violations/"))
    assert "<script>alert" not in page.text
    assert page.text.count(ESCAPED) >= 4  # the project switcher, the chart's label and title, the table
