"""The Events pages over HTTP, on both back ends: what the list and an event's page show, search, sort and
paging, a constant number of statements per page, empty states, 404s for what the user may not see, and every
name escaped."""

import re
from datetime import timedelta

from sqlalchemy import insert, update

from eventschema.enforcement.service import current_hour
from eventschema.models import EventDefinition, QuarantinedEvent, ViolationCount, utcnow
from tests.app.helpers import foreign_project
from tests.console.helpers import ConsoleUser, console_user, sign_in
from tests.factories import StatementCounter

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


async def _api(client, user: ConsoleUser, method: str, path: str, **kwargs) -> dict:
    response = await client.request(
        method, f"/api/projects/{user.project_id}/{path}", headers=user.account.headers, **kwargs
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _seed(client, db, user: ConsoleUser, names: list[str]) -> dict[str, str]:
    async with db.session(write=True) as session:
        await session.execute(
            insert(EventDefinition), [{"project_id": user.project_id, "name": name} for name in names]
        )
        await session.commit()
    listed = await _api(client, user, "GET", "event_definitions/", params={"limit": 1000})
    return {item["name"]: item["id"] for item in listed["results"]}


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/projects/\d+/events/[0-9a-f-]+/">([^<]*)</a></td>', html)


async def _violations(db, project_id: int, counts: dict[str, int], hours_ago: int = 0) -> None:
    hour = current_hour(utcnow()) - timedelta(hours=hours_ago)
    async with db.session(write=True) as session:
        await session.execute(
            insert(ViolationCount),
            [
                {
                    "project_id": project_id,
                    "hour": hour,
                    "event": event,
                    "property": "plan",
                    "reason": "missing_required",
                    "count": n,
                }
                for event, n in counts.items()
            ],
        )
        await session.commit()


async def test_the_list_shows_groups_mode_last_seen_and_violations_of_the_last_day(client, db) -> None:
    user = await console_user(db)
    ids = await _seed(client, db, user, ["signed_up", "logged_in", "quiet"])
    group = await _api(client, user, "POST", "schema_property_groups/", json={"name": "account", "properties": []})
    await _api(
        client,
        user,
        "POST",
        "event_schemas/",
        json={"event_definition": ids["signed_up"], "property_group_id": group["id"]},
    )
    await _api(client, user, "PATCH", f"event_definitions/{ids['logged_in']}/", json={"enforcement_mode": "reject"})
    async with db.session(write=True) as session:
        await session.execute(
            update(EventDefinition)
            .where(EventDefinition.name == "logged_in")
            .values(last_seen_at=utcnow() - timedelta(hours=3))
        )
        await session.commit()
    await _violations(db, user.project_id, {"signed_up": 7, "logged_in": 1200})
    await _violations(db, user.project_id, {"signed_up": 1000}, hours_ago=24)  # older than the last 24 hours
    await sign_in(client, user)

    page = await client.get(user.page("events/"))

    assert page.status_code == 200
    assert _names(page.text) == ["logged_in", "quiet", "signed_up"]
    rows = dict(zip(_names(page.text), page.text.split("<tr>")[2:], strict=True))
    assert '<span class="chip">account</span>' in rows["signed_up"]
    assert "badge-reject" in rows["logged_in"] and "badge-allow" in rows["quiet"]
    assert "3 h ago" in rows["logged_in"] and "never" in rows["quiet"]
    assert '<span class="count-bad">1,200</span>' in rows["logged_in"]
    assert '<span class="count-bad">7</span>' in rows["signed_up"]
    assert "1\u20133 of 3" in page.text


async def test_sort_search_and_pages_of_a_hundred(client, db) -> None:
    user = await console_user(db)
    await _seed(client, db, user, [f"event_{i:03}" for i in range(250)])
    await _violations(db, user.project_id, {"event_100": 5, "event_200": 9})
    async with db.session(write=True) as session:
        await session.execute(
            update(EventDefinition).where(EventDefinition.name == "event_007").values(last_seen_at=utcnow())
        )
        await session.commit()
    await sign_in(client, user)

    first = await client.get(user.page("events/"))
    third = await client.get(user.page("events/?page=3"))
    worst = await client.get(user.page("events/?sort=violations"))
    recent = await client.get(user.page("events/?sort=-last_seen"))
    search = await client.get(user.page("events/?q=EVENT_1"))
    nonsense = await client.get(user.page("events/?sort=drop+table&page=-4"))

    assert _names(first.text) == [f"event_{i:03}" for i in range(100)]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert _names(third.text) == [f"event_{i:03}" for i in range(200, 250)]
    assert "201\u2013250 of 250" in third.text and 'rel="next"' not in third.text
    assert _names(worst.text)[:3] == ["event_200", "event_100", "event_000"]
    assert _names(recent.text)[:2] == ["event_007", "event_000"]
    assert _names(search.text) == [f"event_{i}" for i in range(100, 200)]
    assert "of 100" in search.text
    assert _names(nonsense.text) == _names(first.text)
    # Paging links keep the search and the sort.
    paged = await client.get(user.page("events/?q=event&sort=violations"))
    assert f'href="/projects/{user.project_id}/events/?q=event&amp;sort=violations&amp;page=2"' in paged.text


async def test_a_list_page_costs_the_same_statements_for_ten_or_a_thousand_events(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    counts = []
    for total in (10, 1000):
        ids = await _seed(client, db, user, [f"e{total}_{i:04}" for i in range(total - (10 if total == 1000 else 0))])
        group = await _api(client, user, "POST", "schema_property_groups/", json={"name": f"g{total}"})
        for definition_id in list(ids.values())[:20]:
            await _api(
                client,
                user,
                "POST",
                "event_schemas/",
                json={"event_definition": definition_id, "property_group_id": group["id"]},
            )
        with StatementCounter(db) as counter:
            assert (await client.get(user.page("events/"))).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    # The session, the switcher (count and page), the events (count and page), their groups and violations.
    assert counts[0] <= 7


async def test_empty_states_say_what_to_do(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    empty = await client.get(user.page("events/"))
    no_match = await client.get(user.page("events/?q=nothing"))

    assert "No events yet" in empty.text and f"/api/projects/{user.project_id}/event_definitions/" in empty.text
    assert "No event name contains “nothing”" in no_match.text


async def test_the_event_page_shows_groups_properties_violations_and_quarantined_samples(client, db) -> None:
    user = await console_user(db)
    ids = await _seed(client, db, user, ["checkout", "other"])
    group = await _api(
        client, user, "POST", "schema_property_groups/",
        json={"name": "cart", "description": "What is in the cart", "properties": [
            {"name": "total", "property_type": "Numeric", "is_required": True, "validation_rules": {"minimum": 0}},
            {"name": "coupon", "property_type": "String"},
        ]},
    )  # fmt: skip
    await _api(
        client,
        user,
        "POST",
        "event_schemas/",
        json={"event_definition": ids["checkout"], "property_group_id": group["id"]},
    )
    await _violations(db, user.project_id, {"checkout": 3})
    async with db.session(write=True) as session:
        await session.execute(
            insert(QuarantinedEvent),
            [
                {
                    "project_id": user.project_id,
                    "event": "checkout",
                    "distinct_id": f"user-{i}",
                    "properties": {"total": -i},
                    "fields": {},
                    "reasons": "rule_failed",
                    "violations": [{"property": "total", "reason": "rule_failed"}],
                    "received_at": utcnow() - timedelta(minutes=i),
                }
                for i in range(7)
            ],
        )
        await session.commit()
    await sign_in(client, user)

    page = await client.get(user.page(f"events/{ids['checkout']}/"))
    other = await client.get(user.page(f"events/{ids['other']}/"))

    assert page.status_code == 200
    assert page.text.count("<h1>") == 1 and "<h1>checkout</h1>" in page.text
    group_link = f'<h3><a href="/projects/{user.project_id}/groups/{group["id"]}/">cart</a></h3>'
    assert group_link in page.text and "What is in the cart" in page.text
    assert "<code>coupon</code>" in page.text and "<code>total</code>" in page.text
    assert "Numeric" in page.text and "minimum" in page.text
    assert "missing_required" in page.text
    assert "The 5 newest of 7 quarantined." in page.text
    assert "user-0" in page.text and "user-6" not in page.text
    assert f'data-api-url="/api/projects/{user.project_id}/event_definitions/{ids["checkout"]}/"' in page.text
    assert 'data-api-method="PATCH"' in page.text
    assert '<option value="allow" selected>' in page.text
    for empty in (
        "No property group is linked to this event",
        "No violations in the last 24 hours",
        "Nothing quarantined",
    ):
        assert empty in other.text


async def test_another_projects_pages_and_unknown_events_are_404_pages(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    for path in (
        f"/projects/{foreign}/events/",
        "/projects/999999/events/",
        "/projects/abc/events/",
        user.page("events/00000000-0000-0000-0000-000000000000/"),
        user.page("events/not-a-uuid/"),
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Page not found</h1>" in response.text


async def test_a_definition_of_another_project_is_a_404_here(client, db) -> None:
    user = await console_user(db)
    other_project = await console_user(db, email="someone@example.com", project="Elsewhere")
    ids = await _seed(client, db, other_project, ["theirs"])
    await sign_in(client, user)  # an owner of both projects' organization, signed in to their own

    own_project_url = user.page(f"events/{ids['theirs']}/")
    response = await client.get(own_project_url)

    assert response.status_code == 404


async def test_every_name_is_escaped(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    ids = await _seed(client, db, user, [SCRIPT])
    await _api(client, user, "PATCH", f"event_definitions/{ids[SCRIPT]}/", json={"description": SCRIPT})
    properties = [{"name": SCRIPT, "property_type": "String", "description": SCRIPT}]
    body = {"name": SCRIPT, "description": SCRIPT, "properties": properties}
    group = await _api(client, user, "POST", "schema_property_groups/", json=body)
    await _api(
        client, user, "POST", "event_schemas/", json={"event_definition": ids[SCRIPT], "property_group_id": group["id"]}
    )
    await _violations(db, user.project_id, {SCRIPT: 1})
    async with db.session(write=True) as session:
        await session.execute(
            insert(QuarantinedEvent).values(
                project_id=user.project_id,
                event=SCRIPT,
                distinct_id=SCRIPT,
                properties={SCRIPT: SCRIPT},
                fields={},
                reasons="rule_failed",
                violations=[{"property": SCRIPT}],
                received_at=utcnow(),
            )
        )
        await session.commit()
    await sign_in(client, user)

    pages = [
        await client.get(user.page("events/")),
        await client.get(user.page(f"events/?q={SCRIPT}")),
        await client.get(user.page(f"events/{ids[SCRIPT]}/")),
    ]

    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert ESCAPED in page.text


async def test_an_event_found_by_name_redirects_to_its_page(client, db) -> None:
    user = await console_user(db)
    ids = await _seed(client, db, user, ["signed up", "other"])
    await sign_in(client, user)

    found = await client.get(user.page("events/by_name/"), params={"name": "signed up"})
    unknown = await client.get(user.page("events/by_name/"), params={"name": "never sent"})

    assert found.status_code == 303
    assert found.headers["location"] == user.page(f"events/{ids['signed up']}/")
    assert unknown.status_code == 404 and "<h1>Page not found</h1>" in unknown.text
