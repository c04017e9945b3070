"""The History page over HTTP, on both back ends: versions newest first with who made them, the selected
version's changes with text markers (the same changes as the API's diff), the activity log, the empty state,
paging, 404 for another project, names escaped."""

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


async def test_versions_with_who_and_the_selected_versions_changes(client, db) -> None:
    user = await console_user(db)
    group = await _api(
        client,
        user,
        "POST",
        "schema_property_groups/",
        json={"name": "cart", "properties": [{"name": "total", "property_type": "Numeric"}]},
    )
    await _api(client, user, "PATCH", f"schema_property_groups/{group['id']}/", json={"description": "What was bought"})
    await _api(client, user, "POST", "event_definitions/", json={"name": "checkout"})
    await sign_in(client, user)

    html = (await client.get(user.page("history/"))).text
    versions = (await _api(client, user, "GET", "plan/versions/"))["results"]
    latest = versions[0]["version"]
    api_diff = (await _api(client, user, "GET", f"plan/versions/{latest}/diff/"))["changes"]

    assert html.count("<h1>") == 1
    assert 'aria-current="page">History</a>' in html
    assert f"Changes in version {latest}</h2>" in html
    for version in versions:
        assert f">v{version['version']}</a>" in html
    # Who: in each version row and each of the three activity entries.
    assert html.count(f"<td>{user.email}</td>") == len(versions) + 3
    assert [c["action"] for c in api_diff] == ["added"]
    assert '<div class="diff diff-added">' in html
    assert '<span class="diff-marker" aria-hidden="true">+</span>' in html
    assert "<strong>added</strong> event <code>events.checkout</code>" in html
    # The activity log: the three changes, newest first.
    assert html.index("created</span> EventDefinition <code>checkout</code>") < html.index(
        "updated</span> SchemaPropertyGroup <code>cart</code>"
    )
    assert '<span class="chip">description</span>' in html

    changed = (await client.get(user.page(f"history/?version={latest - 1}"))).text
    assert f"Changes in version {latest - 1}</h2>" in changed
    assert '<div class="diff diff-changed">' in changed
    assert '<span class="diff-marker" aria-hidden="true">~</span>' in changed
    assert '<pre class="diff-before">' in changed and '<pre class="diff-after">' in changed
    assert "What was bought" in changed


async def test_the_empty_state_and_unknown_versions(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    empty = (await client.get(user.page("history/"))).text
    unknown = await client.get(user.page("history/?version=999&page=abc"))

    assert "No plan versions yet" in empty
    assert "No activity yet" in empty
    assert unknown.status_code == 200


async def test_the_page_costs_the_same_statements_for_few_or_many_versions(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    counts = []
    for names in (["a"], [f"e{n}" for n in range(30)]):
        for name in names:
            await _api(client, user, "POST", "event_definitions/", json={"name": name})
        await client.get(user.page("history/"))  # numbers the new versions
        with StatementCounter(db) as counter:
            assert (await client.get(user.page("history/"))).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


async def test_another_projects_history_is_a_404_page(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    response = await client.get(f"/projects/{foreign}/history/")

    assert response.status_code == 404


async def test_every_name_is_escaped(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    await _api(client, user, "POST", "event_definitions/", json={"name": SCRIPT, "description": SCRIPT})
    await sign_in(client, user)

    html = (await client.get(user.page("history/"))).text

    assert "<script>alert" not in html
    assert ESCAPED in html
