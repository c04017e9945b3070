"""The Settings page over HTTP, on both back ends: the validation mode, the project API key and the user's own
personal API keys (masked, never their values); what a member is not offered; writes through the API with the
session (and refused without its CSRF token); 404 for another project; every name escaped."""

import re

from eventschema.auth.keys import hash_key
from tests.app.helpers import foreign_project
from tests.console.helpers import console_member, console_user, sign_in
from tests.factories import StatementCounter

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
KEYS = "/api/personal_api_keys/"


def _selected_mode(html: str) -> str:
    found = re.search(r'<option value="(\w+)" selected>', html)
    assert found, html
    return found[1]


async def test_the_page_shows_mode_project_key_and_own_keys_masked(client, db) -> None:
    user = await console_user(db)
    other = await console_member(db, user.project_id, "other@example.com")
    made = await client.post(
        KEYS,
        json={"label": "ci deploys", "scopes": ["event_definition:read"], "scoped_teams": [user.project_id]},
        headers=user.account.headers,
    )
    value = made.json()["value"]
    await sign_in(client, user)

    page = await client.get(user.page("settings/"))

    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    assert 'aria-current="page">Settings</a>' in html
    assert _selected_mode(html) == "posthog"
    token = (await client.get(f"/api/projects/{user.project_id}/")).json()["api_token"]
    assert f'<code id="project-token" class="secret">{token}</code>' in html
    assert "ci deploys" in html
    assert made.json()["mask_value"] in html
    assert value not in html and user.account.api_key not in html
    assert hash_key(value) not in html
    assert '<span class="chip">event_definition:read</span>' in html
    assert '<span class="chip">Project</span>' in html
    assert f'data-api-url="/api/personal_api_keys/{made.json()["id"]}/"' in html
    # Another member's keys are theirs alone.
    theirs = (await client.get(KEYS, headers=other.account.headers)).json()["results"][0]["mask_value"]
    assert theirs not in html
    assert f'data-api-url="/api/projects/{user.project_id}/rotate_token/"' in html


async def test_a_member_is_not_offered_what_only_admins_may_do(client, db) -> None:
    owner = await console_user(db)
    member = await console_member(db, owner.project_id, "member@example.com")
    csrf = await sign_in(client, member)

    html = (await client.get(member.page("settings/"))).text

    assert "rotate_token/" not in html
    assert "validation_settings/" not in html
    assert "(admins change it)" in html
    assert 'data-api-url="/api/personal_api_keys/"' in html
    # The API refuses it all the same.
    refused = await client.patch(
        f"/api/projects/{member.project_id}/validation_settings/",
        json={"validation_mode": "strict"},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 403


async def test_writes_with_the_session_need_its_csrf_token(client, db) -> None:
    user = await console_user(db)
    csrf = await sign_in(client, user)
    settings_url = f"/api/projects/{user.project_id}/validation_settings/"

    without = await client.patch(settings_url, json={"validation_mode": "strict"})
    created_without = await client.post(KEYS, json={"label": "x", "scopes": ["*"]})
    changed = await client.patch(settings_url, json={"validation_mode": "strict"}, headers={"X-CSRF-Token": csrf})
    created = await client.post(
        KEYS, json={"label": "from the console", "scopes": ["*"]}, headers={"X-CSRF-Token": csrf}
    )

    assert (without.status_code, without.json()["detail"]) == (403, "CSRF Failed: CSRF token missing or incorrect.")
    assert created_without.status_code == 403
    assert changed.status_code == 200
    assert created.status_code == 201, created.text
    html = (await client.get(user.page("settings/"))).text
    assert _selected_mode(html) == "strict"
    assert "from the console" in html
    works = await client.get(
        f"/api/projects/{user.project_id}/", headers={"Authorization": f"Bearer {created.json()['value']}"}
    )
    assert works.status_code == 200


async def test_the_empty_state_says_how_to_make_a_key(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    own = (await client.get(KEYS, headers=user.account.headers)).json()["results"][0]["id"]
    assert (await client.delete(f"{KEYS}{own}/", headers=user.account.headers)).status_code == 204

    html = (await client.get(user.page("settings/"))).text

    assert "You have no personal API keys" in html
    assert "eventschema keys create --email owner@example.com" in html


async def test_the_page_costs_the_same_statements_for_one_or_twenty_keys(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    counts = []
    for extra in (0, 19):
        for n in range(extra):
            body = {"label": f"k{n}", "scopes": ["*"]}
            assert (await client.post(KEYS, json=body, headers=user.account.headers)).status_code == 201
        with StatementCounter(db) as counter:
            assert (await client.get(user.page("settings/"))).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


async def test_another_projects_settings_are_a_404_page(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    for path in (f"/projects/{foreign}/settings/", "/projects/999999/settings/"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Page not found</h1>" in response.text


async def test_every_name_is_escaped(client, db) -> None:
    user = await console_user(db, project=f"Project {SCRIPT}")
    label = SCRIPT[:40]
    made = await client.post(
        KEYS, json={"label": label, "scopes": ["*"], "scoped_teams": [user.project_id]}, headers=user.account.headers
    )
    assert made.status_code == 201, made.text
    await sign_in(client, user)

    html = (await client.get(user.page("settings/"))).text

    assert "<script>alert" not in html
    assert ESCAPED in html
    assert "Project " + ESCAPED in html
