"""The Quarantine pages over HTTP, on both back ends: filters by event, reason and time (and their messages), the
reasons the matching events are held for, the replay and delete forms aimed at the API, a replay's outcome, an
event's payload shown escaped, and 404s; and the API's replay and delete, as the forms send them with the
session cookie and its CSRF token."""

import re
from datetime import timedelta

from eventschema.models import utcnow
from tests.app.helpers import foreign_project
from tests.console import seed
from tests.console.helpers import console_user, sign_in

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _ids(html: str) -> list[str]:
    return re.findall(r'name="ids" value="([0-9a-f-]+)" data-api-list', html)


async def _held(client, user) -> list[dict]:
    listed = await client.get(f"/api/projects/{user.project_id}/quarantine/", headers=user.account.headers)
    return listed.json()["results"]


async def test_filters_by_event_reason_and_time_newest_first(client, db) -> None:
    user = await console_user(db)
    now = utcnow()
    await seed.definitions(db, user.project_id, ["checkout"])
    await seed.quarantined(
        db,
        user.project_id,
        [
            {"event": "checkout", "distinct_id": "ada", "received_at": now - timedelta(hours=1)},
            {
                "event": "checkout",
                "distinct_id": "bob",
                "reasons": "missing_required,type_mismatch",
                "received_at": now,
            },
            {"event": "signup", "distinct_id": "cy", "reasons": "rule_failed", "received_at": now - timedelta(days=2)},
        ],
    )
    await sign_in(client, user)

    everything = await client.get(user.page("quarantine/"))
    checkout = await client.get(user.page("quarantine/?event=checkout"))
    missing = await client.get(user.page("quarantine/?reason=missing_required"))
    recent = await client.get(
        user.page("quarantine/"), params={"after": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    )
    bad = await client.get(user.page("quarantine/?after=yesterday&reason=bogus"))
    nothing = await client.get(user.page("quarantine/?event=nope"))

    held = {item["distinct_id"]: item["id"] for item in await _held(client, user)}
    assert _ids(everything.text) == [held["bob"], held["ada"], held["cy"]]
    assert "3 quarantined, held for:" in everything.text
    assert '<span class="chip">type_mismatch 2</span>' in everything.text
    assert '<span class="chip">missing_required 1</span>' in everything.text
    assert _ids(checkout.text) == [held["bob"], held["ada"]]
    assert _ids(missing.text) == [held["bob"]]
    assert _ids(recent.text) == [held["bob"], held["ada"]]
    # Filters that cannot be read are said so next to their field, and not applied.
    assert _ids(bad.text) == [held["bob"], held["ada"], held["cy"]]
    assert 'id="filter-after-error">Enter a valid date and time' in bad.text
    assert "is not a reason events are quarantined for" in bad.text
    assert "No quarantined event matches these filters" in nothing.text
    # Rows link to their event's page (when it is defined) and to their payload.
    assert re.search(rf'<a href="/projects/{user.project_id}/events/[0-9a-f-]+/">checkout</a>', everything.text)
    assert f'href="/projects/{user.project_id}/quarantine/{held["cy"]}/">Inspect' in everything.text
    # Replay forms aimed at the API: the selection, and all of the event filtered for.
    api = f"/api/projects/{user.project_id}/quarantine/replay/"
    assert f'id="replay-selected" data-api-method="POST" data-api-url="{api}"' in checkout.text
    assert '<input type="hidden" name="event" value="checkout">' in checkout.text
    assert "Replay all 2 matching" in checkout.text
    assert '<input type="hidden" name="after" value="' in recent.text
    assert "replayed={forwarded}&amp;still={still_quarantined}" in checkout.text


async def test_a_replay_outcome_and_the_api_it_is_sent_to(client, db) -> None:
    user = await console_user(db)
    await seed.quarantined(
        db,
        user.project_id,
        [
            {"event": "loose", "distinct_id": "a"},  # no schema any more: it passes
            {"event": "loose", "distinct_id": "b"},
            {"event": "kept", "distinct_id": "c", "reasons": "invalid_event"},  # never forwarded
        ],
    )
    csrf = await sign_in(client, user)
    held = {item["distinct_id"]: item["id"] for item in await _held(client, user)}
    replay = f"/api/projects/{user.project_id}/quarantine/replay/"

    refused = await client.post(replay, json={"ids": [held["a"]]})
    selected = await client.post(replay, json={"ids": [held["a"], held["c"]]}, headers={"X-CSRF-Token": csrf})
    outcome = await client.get(
        user.page(f"quarantine/?replayed={selected.json()['forwarded']}&still={selected.json()['still_quarantined']}")
    )
    deleted = await client.delete(
        f"/api/projects/{user.project_id}/quarantine/{held['b']}/", headers={"X-CSRF-Token": csrf}
    )

    assert refused.status_code == 403
    assert selected.json() == {"forwarded": 1, "still_quarantined": 1}
    assert "<strong>1 replayed</strong>" in outcome.text
    assert '<strong class="count-bad">1 still quarantined</strong>' in outcome.text
    assert '<span class="chip">invalid_event 1</span>' in outcome.text
    assert deleted.status_code == 204
    assert [item["distinct_id"] for item in await _held(client, user)] == ["c"]


async def test_an_event_page_shows_its_payload_escaped_with_replay_and_delete(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    await seed.definitions(db, user.project_id, [SCRIPT])
    await seed.quarantined(
        db,
        user.project_id,
        [
            {
                "event": SCRIPT,
                "distinct_id": SCRIPT,
                "properties": {SCRIPT: SCRIPT, "nested": {"n": [1, 2]}},
                "fields": {"timestamp": "2026-01-01T00:00:00Z"},
                "violations": [{"property": SCRIPT, "reason": "type_mismatch", "expected": "Numeric"}],
            }
        ],
    )
    await sign_in(client, user)
    [item] = await _held(client, user)

    listed = await client.get(user.page("quarantine/"))
    page = await client.get(user.page(f"quarantine/{item['id']}/"))

    for html in (listed.text, page.text):
        assert "<script>alert" not in html
        assert ESCAPED in html
    assert page.text.count("<h1>") == 1
    assert "  &#34;nested&#34;: {\n    &#34;n&#34;: [\n      1," in page.text
    assert "&#34;timestamp&#34;: &#34;2026-01-01T00:00:00Z&#34;" in page.text
    assert (
        f'data-api-method="DELETE" data-api-url="/api/projects/{user.project_id}/quarantine/{item["id"]}/"' in page.text
    )
    assert f'<input type="hidden" name="ids" value="{item["id"]}" data-api-list>' in page.text


async def test_empty_state_and_404s(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    empty = await client.get(user.page("quarantine/"))

    assert "Nothing quarantined" in empty.text and "reject" in empty.text
    for path in (
        f"/projects/{foreign}/quarantine/",
        user.page("quarantine/00000000-0000-0000-0000-000000000000/"),
        user.page("quarantine/not-a-uuid/"),
    ):
        assert (await client.get(path)).status_code == 404, path
