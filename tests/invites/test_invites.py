"""Invitations: admins invite at or below their level, the one-time link sets a password and joins."""

from datetime import timedelta

from sqlalchemy import select, update

from eventschema.app import create_app
from eventschema.auth.passwords import hash_password, verify_password
from eventschema.db import Database
from eventschema.models import OrganizationInvite, User, utcnow
from tests.app.helpers import NOT_AUTHENTICATED, app_client, app_settings, error, missing_scope, not_found
from tests.factories import USER_BASIC_KEYS, make_key
from tests.invites.smtp import smtp_sink
from tests.members.team import Team, make_team

INVITE_KEYS = [
    "id",
    "target_email",
    "first_name",
    "emailing_attempt_made",
    "level",
    "is_expired",
    "created_by",
    "created_at",
    "expires_at",
]
PASSWORD = "correct horse battery"


def _invites(team: Team) -> str:
    return f"/api/organizations/{team.organization_id}/invites/"


async def _invite(client, team: Team, email: str = "new@example.com", level: int = 1, who: str = "admin"):
    body = {"target_email": email, "level": level, "first_name": "Nova"}
    return await client.post(_invites(team), json=body, headers=team.headers(who))


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def _invalid(code: str, detail: str) -> dict[str, object]:
    return error("validation_error", code, detail)


async def test_invite_and_accept(client, db: Database) -> None:
    team = await make_team(db)

    response = await _invite(client, team)

    assert response.status_code == 201
    body = response.json()
    assert list(body) == [*INVITE_KEYS, "invite_link", "email_sent"]
    assert (body["target_email"], body["first_name"], body["level"]) == ("new@example.com", "Nova", 1)
    assert (body["emailing_attempt_made"], body["email_sent"], body["is_expired"]) == (False, False, False)
    assert list(body["created_by"]) == USER_BASIC_KEYS
    assert body["created_by"]["email"] == "admin@example.com"
    assert body["invite_link"].startswith("http://testserver/api/signup/")
    token = _token(body["invite_link"])
    async with db.session(write=False) as session:
        stored = (await session.execute(select(OrganizationInvite.token_hash))).scalar_one()
    assert token not in stored  # only its hash is kept

    described = await client.get(f"/api/signup/{token}/")
    assert described.status_code == 200
    assert described.json()["organization_name"] == "Default organization"
    assert (described.json()["target_email"], described.json()["level"]) == ("new@example.com", 1)

    accepted = await client.post(f"/api/signup/{token}/", json={"password": PASSWORD, "last_name": "Lee"})

    assert accepted.status_code == 201
    joined = accepted.json()
    assert (joined["email"], joined["first_name"], joined["last_name"], joined["level"]) == (
        "new@example.com",
        "Nova",
        "Lee",
        1,
    )
    assert joined["organization"] == {"id": str(team.organization_id), "name": "Default organization"}
    key = {"Authorization": f"Bearer {joined['personal_api_key']}"}
    project = f"/api/projects/{team.project_id}/"
    # The new key acts as a member: edits the plan, does not rotate the project's key.
    assert (await client.post(project + "event_definitions/", json={"name": "e"}, headers=key)).status_code == 201
    assert (await client.post(project + "rotate_token/", headers=key)).status_code == 403
    me = (await client.get("/api/users/@me/", headers=key)).json()
    assert me["team"]["id"] == team.project_id
    async with db.session(write=False) as session:
        user = (await session.execute(select(User).where(User.email == "new@example.com"))).scalar_one()
        stored_hash = (await session.execute(select(User.password_hash).where(User.id == user.id))).scalar_one()
    assert stored_hash.startswith("$argon2id$")
    assert verify_password(stored_hash, PASSWORD)
    listed = (await client.get(_invites(team), headers=team.headers("member"))).json()
    assert listed["count"] == 0  # accepted invitations are no longer pending


async def test_used_expired_and_forged_tokens_are_refused(client, db: Database) -> None:
    team = await make_team(db)
    used = _token((await _invite(client, team, "used@example.com")).json()["invite_link"])
    expired_body = (await _invite(client, team, "late@example.com")).json()
    expired = _token(expired_body["invite_link"])
    assert (await client.post(f"/api/signup/{used}/", json={"password": PASSWORD})).status_code == 201
    async with db.session(write=True) as session:
        await session.execute(
            update(OrganizationInvite)
            .where(OrganizationInvite.target_email == "late@example.com")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()

    again = await client.post(f"/api/signup/{used}/", json={"password": PASSWORD})
    late = await client.post(f"/api/signup/{expired}/", json={"password": PASSWORD})
    forged = await client.post(f"/api/signup/{used[:-1]}x/", json={"password": PASSWORD})
    described = await client.get(f"/api/signup/{expired}/")

    assert (again.status_code, again.json()) == (400, _invalid("invalid_invite", "This invite has already been used."))
    assert (late.status_code, late.json()) == (
        400,
        _invalid("expired_invite", "This invite has expired; ask for a new one."),
    )
    assert (forged.status_code, forged.json()) == (400, _invalid("invalid_invite", "This invite link is not valid."))
    assert described.json()["code"] == "expired_invite"
    listed = (await client.get(_invites(team), headers=team.headers("admin"))).json()
    assert [(i["target_email"], i["is_expired"]) for i in listed["results"]] == [("late@example.com", True)]


async def test_signup_body_errors(client, db: Database) -> None:
    team = await make_team(db)
    token = _token((await _invite(client, team)).json()["invite_link"])

    short = await client.post(f"/api/signup/{token}/", json={"password": "short"})
    missing = await client.post(f"/api/signup/{token}/", json={})

    assert (short.status_code, short.json()) == (
        400,
        error("validation_error", "invalid_input", "A password must have at least 8 characters.", "password"),
    )
    assert (missing.status_code, missing.json()["code"], missing.json()["attr"]) == (400, "required", "password")
    # Neither used the invitation.
    assert (await client.post(f"/api/signup/{token}/", json={"password": PASSWORD})).status_code == 201


async def test_an_existing_account_must_give_its_password(client, db: Database) -> None:
    team = await make_team(db)
    first = _token((await _invite(client, team, "outsider@example.com")).json()["invite_link"])
    async with db.session(write=True) as session:
        user = (await session.execute(select(User).where(User.email == "outsider@example.com"))).scalar_one()
        user.password_hash = hash_password(PASSWORD)
        await session.commit()

    wrong = await client.post(f"/api/signup/{first}/", json={"password": "not the password"})
    right = await client.post(f"/api/signup/{first}/", json={"password": PASSWORD})

    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_password")
    assert right.status_code == 201
    me = (await client.get("/api/users/@me/", headers=team.headers("outsider"))).json()
    assert sorted(o["membership_level"] for o in me["organizations"]) == [1, 15]


async def test_an_account_without_a_password_in_another_organization_is_not_taken_over(client, db: Database) -> None:
    team = await make_team(db)
    outsider = _token((await _invite(client, team, "outsider@example.com")).json()["invite_link"])
    removed = _token((await _invite(client, team, "removed@example.com")).json()["invite_link"])

    refused = await client.post(f"/api/signup/{outsider}/", json={"password": PASSWORD})
    # A removed member belongs nowhere any more: the link sets their password and lets them back in.
    back = await client.post(f"/api/signup/{removed}/", json={"password": PASSWORD})

    assert (refused.status_code, refused.json()["code"], refused.json()["attr"]) == (
        400,
        "password_not_set",
        "password",
    )
    assert (back.status_code, back.json()["email"], back.json()["level"]) == (201, "removed@example.com", 1)


async def test_who_may_invite_and_at_which_level(client, db: Database) -> None:
    team = await make_team(db)

    member = await _invite(client, team, who="member")
    admin_invites_owner = await _invite(client, team, level=15)
    owner_invites_owner = await _invite(client, team, "co-owner@example.com", level=15, who="owner")
    already = await _invite(client, team, "member@example.com")
    bad_email = await _invite(client, team, "not an email")
    bad_level = await _invite(client, team, level=2)

    assert (member.status_code, member.json()["detail"]) == (
        403,
        "Your organization access level is insufficient for this action.",
    )
    assert (admin_invites_owner.status_code, admin_invites_owner.json()["detail"]) == (
        403,
        "You can only invite people at or below your own level.",
    )
    assert owner_invites_owner.status_code == 201
    assert (already.status_code, already.json()["code"], already.json()["attr"]) == (
        400,
        "user_already_member",
        "target_email",
    )
    assert (bad_email.status_code, bad_email.json()["attr"]) == (400, "target_email")
    assert (bad_level.status_code, bad_level.json()["code"]) == (400, "invalid_choice")


async def test_invite_auth_errors(client, db: Database) -> None:
    team = await make_team(db)
    read_only = await make_key(db, team.admin.email, ["organization_member:read"])

    anonymous = await client.post(_invites(team), json={"target_email": "a@example.com"})
    scope = await client.post(
        _invites(team), json={"target_email": "a@example.com"}, headers={"Authorization": f"Bearer {read_only}"}
    )
    outsider = await client.get(_invites(team), headers=team.headers("outsider"))
    unknown = await client.delete(
        _invites(team) + "0196f7b0-0000-7000-8000-000000000000/", headers=team.headers("admin")
    )

    assert (anonymous.status_code, anonymous.json()) == (401, NOT_AUTHENTICATED)
    assert (scope.status_code, scope.json()) == (403, missing_scope("organization_member:write"))
    assert outsider.status_code == 403
    assert (unknown.status_code, unknown.json()) == (404, not_found())


async def test_a_new_invitation_replaces_the_last_and_cancelling_ends_it(client, db: Database) -> None:
    team = await make_team(db)
    old = _token((await _invite(client, team)).json()["invite_link"])
    newer = (await _invite(client, team)).json()

    replaced = await client.get(f"/api/signup/{old}/")
    listed = (await client.get(_invites(team), headers=team.headers("admin"))).json()
    cancelled = await client.delete(_invites(team) + f"{newer['id']}/", headers=team.headers("admin"))
    after = await client.get(f"/api/signup/{_token(newer['invite_link'])}/")

    assert replaced.json()["code"] == "invalid_invite"
    assert [i["id"] for i in listed["results"]] == [newer["id"]]
    assert list(listed["results"][0]) == INVITE_KEYS
    assert cancelled.status_code == 204
    assert after.json()["code"] == "invalid_invite"


async def test_an_smtp_server_sends_the_invitation(db: Database) -> None:
    team = await make_team(db)
    with smtp_sink() as (sink, port):
        settings = app_settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            smtp_from="registry@example.com",
            public_url="https://schemas.example.com",
        )
        async with app_client(create_app(settings, database=db)) as client:
            body = (await _invite(client, team)).json()

    assert (body["emailing_attempt_made"], body["email_sent"]) == (True, True)
    assert body["invite_link"].startswith("https://schemas.example.com/api/signup/")
    assert sink.recipients == [["new@example.com"]]
    message = sink.messages[0]
    assert (message["From"], message["To"]) == ("registry@example.com", "new@example.com")
    assert message["Subject"] == "You are invited to Default organization on eventschema"
    assert body["invite_link"] in message.get_payload(decode=True).decode()


async def test_an_unreachable_smtp_server_leaves_the_link_to_share(db: Database) -> None:
    team = await make_team(db)
    with smtp_sink() as (_sink, port):
        pass  # stopped: nothing listens on the port any more
    settings = app_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", smtp_timeout_seconds=2)
    async with app_client(create_app(settings, database=db)) as client:
        response = await _invite(client, team)

    assert response.status_code == 201
    assert (response.json()["emailing_attempt_made"], response.json()["email_sent"]) == (True, False)
    assert response.json()["invite_link"].startswith("http://testserver/api/signup/")
