"""The Members page over HTTP, on both back ends: members with their levels, pending invitations, and only the
actions the user's level allows (the API refuses the others all the same); changes through the API with the
session; 404 for another project; names escaped."""

from sqlalchemy import update

from eventschema.models import User
from tests.app.helpers import foreign_project
from tests.console.helpers import console_member, console_user, sign_in
from tests.factories import StatementCounter

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


async def _uuid(client, user) -> str:
    return str((await client.get("/api/users/@me/", headers=user.account.headers)).json()["uuid"])


async def _organization(client, user) -> str:
    return str(
        (await client.get(f"/api/projects/{user.project_id}/", headers=user.account.headers)).json()["organization"]
    )


async def test_an_owner_is_offered_every_action_on_others(client, db) -> None:
    owner = await console_user(db)
    admin = await console_member(db, owner.project_id, "admin@example.com", 8)
    member = await console_member(db, owner.project_id, "member@example.com", 1)
    organization = await _organization(client, owner)
    await sign_in(client, owner)

    html = (await client.get(owner.page("members/"))).text

    assert html.count("<h1>") == 1
    for who in (admin, member):
        uuid = await _uuid(client, who)
        assert f'data-api-url="/api/organizations/{organization}/members/{uuid}/"' in html
        assert f"Remove {who.email}" in html
        assert f'<label for="level-{uuid}-select" class="visually-hidden">Level of {who.email}</label>' in html
    assert "Leave the organization" in html
    assert f'data-api-url="/api/organizations/{organization}/invites/"' in html
    assert '<option value="15">owner</option>' in html
    # Nobody changes their own level.
    assert f"level-{await _uuid(client, owner)}-select" not in html


async def test_an_admin_is_not_offered_actions_on_an_owner_and_a_member_only_leaving(client, db) -> None:
    owner = await console_user(db)
    admin = await console_member(db, owner.project_id, "admin@example.com", 8)
    member = await console_member(db, owner.project_id, "member@example.com", 1)
    owner_uuid = await _uuid(client, owner)

    await sign_in(client, admin)
    admin_html = (await client.get(admin.page("members/"))).text
    assert f"Remove {owner.email}" not in admin_html
    assert f"level-{owner_uuid}-select" not in admin_html
    assert f"Remove {member.email}" in admin_html
    assert '<option value="15">owner</option>' not in admin_html
    assert '<option value="8">admin</option>' in admin_html

    client.cookies.clear()
    csrf = await sign_in(client, member)
    member_html = (await client.get(member.page("members/"))).text
    assert "Remove " not in member_html
    assert "-select" not in member_html
    assert "invites/" not in member_html
    assert "Leave the organization" in member_html
    assert "Admins and owners invite people" in member_html
    # What the page does not offer, the API refuses anyway.
    organization = await _organization(client, owner)
    refused = await client.patch(
        f"/api/organizations/{organization}/members/{owner_uuid}/", json={"level": 1}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403


async def test_level_changes_and_invitations_through_the_api_show_on_the_page(client, db) -> None:
    owner = await console_user(db)
    member = await console_member(db, owner.project_id, "member@example.com", 1)
    organization = await _organization(client, owner)
    csrf = await sign_in(client, owner)
    headers = {"X-CSRF-Token": csrf}

    changed = await client.patch(
        f"/api/organizations/{organization}/members/{await _uuid(client, member)}/", json={"level": 8}, headers=headers
    )
    invited = await client.post(
        f"/api/organizations/{organization}/invites/",
        json={"target_email": "new@example.com", "level": 1},
        headers=headers,
    )

    assert changed.status_code == 200, changed.text
    assert invited.status_code == 201, invited.text
    html = (await client.get(owner.page("members/"))).text
    assert '<option value="8" selected>admin</option>' in html
    assert "new@example.com" in html
    assert invited.json()["invite_link"] not in html
    assert "Cancel the invitation of new@example.com" in html


async def test_the_page_costs_the_same_statements_for_two_or_twenty_members(client, db) -> None:
    owner = await console_user(db)
    await sign_in(client, owner)
    counts = []
    for start, end in ((0, 1), (1, 19)):
        for n in range(start, end):
            await console_member(db, owner.project_id, f"m{n}@example.com", 1)
        with StatementCounter(db) as counter:
            assert (await client.get(owner.page("members/"))).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


async def test_another_projects_members_are_a_404_page(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    response = await client.get(f"/projects/{foreign}/members/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


async def test_every_name_is_escaped(client, db) -> None:
    owner = await console_user(db, project=f"Project {SCRIPT}")
    member = await console_member(db, owner.project_id, "member@example.com", 1)
    async with db.session(write=True) as session:
        await session.execute(
            update(User).where(User.id == member.account.user_id).values(first_name=SCRIPT, last_name=SCRIPT)
        )
        await session.commit()
    await sign_in(client, owner)

    html = (await client.get(owner.page("members/"))).text

    assert "<script>alert" not in html
    assert f"{ESCAPED} {ESCAPED}" in html
