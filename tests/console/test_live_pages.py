"""The Live events page over HTTP, on both back ends: the local event log newest first, filtered by name, the
fragment console.js refreshes the table with, the refresh wired without inline script, the empty states, 404 for
another project, a sign-in redirect for the fragment without a session, and every name escaped."""

import re
from datetime import timedelta

from eventschema.console.live.service import SHOWN
from eventschema.models import utcnow
from tests.app.helpers import foreign_project
from tests.console import seed
from tests.console.helpers import console_user, sign_in

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _events(html: str) -> list[tuple[str, str]]:
    """(event, distinct id) of each row."""
    return re.findall(r'\?event=[^"]*">([^<]*)</a></td>\s*<td>([^<]*)</td>', html)


async def test_newest_first_filtered_by_name_and_the_fragment_it_refreshes_with(client, db) -> None:
    user = await console_user(db)
    now = utcnow()
    await seed.logged(
        db,
        user.project_id,
        [
            ("page viewed" if i % 2 else "signed up", f"user-{i}", {"i": i}, now - timedelta(seconds=i))
            for i in range(SHOWN + 10)
        ],
    )
    await sign_in(client, user)

    page = await client.get(user.page("live/"))
    signups = await client.get(user.page("live/"), params={"event": "signed up"})
    fragment = await client.get(user.page("live/rows/"), params={"event": "signed up"})

    assert page.status_code == 200 and page.text.count("<h1>") == 1
    rows = _events(page.text)
    assert len(rows) == SHOWN
    assert rows[:3] == [("signed up", "user-0"), ("page viewed", "user-1"), ("signed up", "user-2")]
    assert f"The {SHOWN} newest of {SHOWN + 10} events</span>" in page.text
    assert f'data-summary="The {SHOWN} newest of {SHOWN + 10} events"' in page.text
    assert all(event == "signed up" for event, _ in _events(signups.text))
    assert _events(signups.text)[0] == ("signed up", "user-0")
    assert "&#34;i&#34;: 0" in page.text
    # The fragment: the table's body alone, as the page has it.
    assert fragment.text.lstrip().startswith('<tbody id="live-rows"') and "<html" not in fragment.text
    assert _events(fragment.text) == _events(signups.text)
    # The refresh is console.js's: the page names the fragment and interval, with no script of its own.
    assert f'data-live-url="/projects/{user.project_id}/live/rows/?event=signed%20up"' in signups.text
    assert 'id="live-pause" aria-pressed="false"' in page.text
    body = page.text.split("</head>")[1]
    assert "<script" not in body and "onclick" not in body and "style=" not in body


async def test_empty_states_404_escaping_and_sign_in(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    foreign = await foreign_project(db)
    await sign_in(client, user)

    empty = await client.get(user.page("live/"))
    none_named = await client.get(user.page("live/?event=nothing"))
    assert "No events in the log yet" in empty.text and "phc_" in empty.text
    assert "No “nothing” event in the log yet" in none_named.text
    assert (await client.get(f"/projects/{foreign}/live/")).status_code == 404
    assert (await client.get(f"/projects/{foreign}/live/rows/")).status_code == 404

    await seed.logged(db, user.project_id, [(SCRIPT, SCRIPT, {SCRIPT: SCRIPT}, utcnow())])
    for html in (
        (await client.get(user.page("live/"))).text,
        (await client.get(user.page("live/rows/"))).text,
        (await client.get(user.page("live/"), params={"event": SCRIPT})).text,
    ):
        assert "<script>alert" not in html
        assert ESCAPED in html

    client.cookies.clear()
    redirected = await client.get(user.page("live/rows/"))
    assert redirected.status_code == 303 and redirected.headers["location"].startswith("/login/")
