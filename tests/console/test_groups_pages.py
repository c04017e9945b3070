"""The Property groups pages over HTTP, on both back ends: what the list and the editor show, search and paging,
a constant number of statements per list page, empty states, 404s for what the user may not see, every name
escaped, and the API writes the editor's forms make (with the session's CSRF token) answering as the page expects."""

import re

from tests.app.helpers import foreign_project
from tests.console.helpers import ConsoleUser, console_user, sign_in
from tests.factories import StatementCounter

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


async def _api(client, user: ConsoleUser, method: str, path: str, **kwargs) -> dict:
    response = await client.request(
        method, f"/api/projects/{user.project_id}/{path}", headers=user.account.headers, **kwargs
    )
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.content else {}


async def _group(client, user: ConsoleUser, name: str, properties: list[dict] | None = None, **extra) -> dict:
    body = {"name": name, "properties": properties or [], **extra}
    return await _api(client, user, "POST", "schema_property_groups/", json=body)


async def _link(client, user: ConsoleUser, definition_id: str, group_id: str) -> dict:
    body = {"event_definition": definition_id, "property_group_id": group_id}
    return await _api(client, user, "POST", "event_schemas/", json=body)


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/projects/\d+/groups/[0-9a-f-]+/">([^<]*)</a>', html)


async def test_the_list_shows_properties_linked_events_and_when_each_group_changed(client, db) -> None:
    user = await console_user(db)
    signed_up = await _api(client, user, "POST", "event_definitions/", json={"name": "signed_up"})
    props = [{"name": "plan", "property_type": "String"}, {"name": "seats", "property_type": "Numeric"}]
    account = await _group(client, user, "account", props, description="Who signed up")
    await _group(client, user, "empty")
    await _link(client, user, signed_up["id"], account["id"])
    await sign_in(client, user)

    page = await client.get(user.page("groups/"))

    assert page.status_code == 200
    assert page.text.count("<h1>") == 1 and "<h1>Property groups</h1>" in page.text
    assert _names(page.text) == ["account", "empty"]
    rows = dict(zip(_names(page.text), page.text.split("<tr>")[2:], strict=True))
    assert '<td class="num">2</td>' in rows["account"] and '<td class="num">0</td>' in rows["empty"]
    assert f'href="/projects/{user.project_id}/events/{signed_up["id"]}/">signed_up</a>' in rows["account"]
    assert "Who signed up" in rows["account"]
    assert "none" in rows["empty"] and "just now" in rows["empty"]
    assert f'data-api-url="/api/projects/{user.project_id}/schema_property_groups/"' in page.text
    assert f'data-next="/projects/{user.project_id}/groups/{{id}}/"' in page.text


async def test_search_and_pages_of_a_hundred(client, db) -> None:
    user = await console_user(db)
    for i in range(130):
        await _group(client, user, f"group_{i:03}")
    await sign_in(client, user)

    first = await client.get(user.page("groups/"))
    second = await client.get(user.page("groups/?page=2"))
    search = await client.get(user.page("groups/?q=GROUP_12"))
    past = await client.get(user.page("groups/?page=9"))

    assert _names(first.text) == [f"group_{i:03}" for i in range(100)]
    assert _names(second.text) == [f"group_{i:03}" for i in range(100, 130)]
    assert "101\u2013130 of 130" in second.text
    assert _names(search.text) == [f"group_{i}" for i in range(120, 130)]
    assert "This page is past the last group" in past.text


async def test_a_list_page_costs_the_same_statements_for_two_or_a_hundred_groups(client, db) -> None:
    user = await console_user(db)
    definition = await _api(client, user, "POST", "event_definitions/", json={"name": "e"})
    await sign_in(client, user)
    counts = []
    for total in (2, 100):
        for i in range(total - (2 if total == 100 else 0)):
            group = await _group(client, user, f"g{total}_{i:03}", [{"name": "p", "property_type": "String"}])
            if i < 5:
                await _link(client, user, definition["id"], group["id"])
        with StatementCounter(db) as counter:
            assert (await client.get(user.page("groups/"))).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    # The session, the switcher (count and page), the groups (count and page) and their events.
    assert counts[0] <= 6


async def test_empty_states_say_what_to_do(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    empty = await client.get(user.page("groups/"))
    no_match = await client.get(user.page("groups/?q=nothing"))
    group = await _group(client, user, "bare")
    editor = await client.get(user.page(f"groups/{group['id']}/"))

    assert "No property groups yet" in empty.text and "Create one with the form above" in empty.text
    assert "No group name contains “nothing”" in no_match.text
    assert "No properties yet" in editor.text
    assert "No event is linked to this group" in editor.text
    assert "The project has no events yet" in editor.text


async def test_the_editor_has_a_form_for_each_property_link_and_the_group(client, db) -> None:
    user = await console_user(db)
    checkout = await _api(client, user, "POST", "event_definitions/", json={"name": "checkout"})
    other = await _api(client, user, "POST", "event_definitions/", json={"name": "other"})
    properties = [
        {"name": "total", "property_type": "Numeric", "is_required": True, "validation_rules": {"minimum": 0}},
        {"name": "coupon", "property_type": "String", "description": "Code used"},
    ]
    group = await _group(client, user, "cart", properties, description="What is in the cart")
    link = await _link(client, user, checkout["id"], group["id"])
    await sign_in(client, user)

    page = await client.get(user.page(f"groups/{group['id']}/"))

    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1 and "<h1>cart</h1>" in html
    api = f"/api/projects/{user.project_id}/schema_property_groups/{group['id']}/"
    by_name = {p["name"]: p["id"] for p in group["properties"]}
    assert f'data-api-method="PATCH" data-api-url="{api}"' in html
    assert f'data-api-method="DELETE" data-api-url="{api}"' in html
    assert f'data-api-method="POST" data-api-url="{api}properties/"' in html
    for property_id in by_name.values():
        assert f'data-api-method="PATCH" data-api-url="{api}properties/{property_id}/"' in html
        assert f'data-api-method="DELETE" data-api-url="{api}properties/{property_id}/"' in html
    # Properties by name: coupon first; total is required, Numeric, with its rules in the JSON field.
    assert html.index('value="coupon"') < html.index('value="total"')
    total_form = html[html.index('id="property-2"') :]
    assert 'id="property-2-required" name="is_required" type="checkbox" checked' in total_form
    assert '<option value="Numeric" selected>' in total_form
    assert ">{&#34;minimum&#34;: 0}</textarea>" in total_form
    assert 'value="Code used"' in html
    # Linked: checkout (with its unlink form); the link form offers the other event only.
    assert f'data-api-url="/api/projects/{user.project_id}/event_schemas/{link["id"]}/"' in html
    assert f'<option value="{other["id"]}">other</option>' in html
    assert f'<option value="{checkout["id"]}">' not in html
    # The event's page links to the group's editor.
    event_page = await client.get(user.page(f"events/{checkout['id']}/"))
    assert f'href="/projects/{user.project_id}/groups/{group["id"]}/">cart</a>' in event_page.text


async def test_the_editors_writes_answer_with_the_attr_of_the_field(client, db) -> None:
    """What the editor's forms send, with the session cookie and its CSRF token: a change is saved; a refused one
    names the field (`attr`) its message goes next to; without the token nothing is written."""
    user = await console_user(db)
    group = await _group(client, user, "cart", [{"name": "total", "property_type": "Numeric"}])
    csrf = await sign_in(client, user)
    property_url = f"/api/projects/{user.project_id}/schema_property_groups/{group['id']}/properties/"
    total = f"{property_url}{group['properties'][0]['id']}/"
    headers = {"X-CSRF-Token": csrf}

    body = {"name": "total", "property_type": "Numeric", "is_required": True, "description": ""}
    saved = await client.patch(total, json=body | {"validation_rules": {"minimum": 0}}, headers=headers)
    wrong_rule = await client.patch(total, json=body | {"validation_rules": {"pattern": "^a"}}, headers=headers)
    currency = body | {"name": "currency", "property_type": "String"}
    added = await client.post(property_url, json=currency, headers=headers)
    duplicate = await client.post(property_url, json=body | {"name": "currency"}, headers=headers)
    no_token = await client.patch(total, json=body | {"description": "changed"})

    assert saved.status_code == 200 and saved.json()["validation_rules"] == {"minimum": 0}
    assert wrong_rule.status_code == 400
    assert wrong_rule.json()["attr"] == "validation_rules__pattern"
    assert "does not apply to a Numeric property" in wrong_rule.json()["detail"]
    assert added.status_code == 201
    assert duplicate.status_code == 400 and duplicate.json()["attr"] == "name"
    assert no_token.status_code == 403
    stored = await _api(client, user, "GET", f"schema_property_groups/{group['id']}/")
    assert {p["name"]: p["description"] for p in stored["properties"]} == {"currency": "", "total": ""}


async def test_another_projects_groups_and_unknown_groups_are_404_pages(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    other_project = await console_user(db, email="someone@example.com", project="Elsewhere")
    theirs = await _group(client, other_project, "theirs")
    await sign_in(client, user)

    for path in (
        f"/projects/{foreign}/groups/",
        "/projects/999999/groups/",
        user.page("groups/00000000-0000-0000-0000-000000000000/"),
        user.page("groups/not-a-uuid/"),
        user.page(f"groups/{theirs['id']}/"),
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Page not found</h1>" in response.text


async def test_every_name_is_escaped(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    definition = await _api(client, user, "POST", "event_definitions/", json={"name": SCRIPT})
    unlinked = await _api(client, user, "POST", "event_definitions/", json={"name": f"{SCRIPT}2"})
    properties = [
        {"name": SCRIPT, "property_type": "String", "description": SCRIPT, "validation_rules": {"enum": [SCRIPT]}}
    ]
    group = await _group(client, user, SCRIPT, properties, description=SCRIPT)
    await _link(client, user, definition["id"], group["id"])
    await sign_in(client, user)

    pages = [
        await client.get(user.page("groups/")),
        await client.get(user.page(f"groups/?q={SCRIPT}")),
        await client.get(user.page(f"groups/{group['id']}/")),
    ]

    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert ESCAPED in page.text
    assert f"{ESCAPED}2</option>" in pages[2].text and unlinked["id"] in pages[2].text
