"""The JSON API with the console's session cookie: reads as the signed-in user, writes only with the session's
CSRF token in X-CSRF-Token (DRF's message otherwise), the same project checks as a key; keys work as before."""

from eventschema.app import create_app
from tests.app.helpers import NOT_AUTHENTICATED, app_client, app_settings, error, foreign_project
from tests.console.helpers import console_member, console_user, sign_in

CSRF_FAILED = error("authentication_error", "permission_denied", "CSRF Failed: CSRF token missing or incorrect.")


async def _definition(client, user) -> str:
    created = await client.post(
        f"/api/projects/{user.project_id}/event_definitions/", json={"name": "signed_up"}, headers=user.account.headers
    )
    assert created.status_code == 201
    return str(created.json()["id"])


async def test_a_session_reads_the_api_as_its_user(client, db) -> None:
    user = await console_user(db)
    await _definition(client, user)
    await sign_in(client, user)

    listed = await client.get(f"/api/projects/{user.project_id}/event_definitions/")
    me = await client.get("/api/users/@me/")
    current = await client.get("/api/projects/@current/")

    assert listed.status_code == 200 and [d["name"] for d in listed.json()["results"]] == ["signed_up"]
    assert me.json()["email"] == user.email
    assert current.json()["id"] == user.project_id


async def test_a_session_writes_only_with_its_csrf_token(client, db) -> None:
    user = await console_user(db)
    definition_id = await _definition(client, user)
    csrf = await sign_in(client, user)
    url = f"/api/projects/{user.project_id}/event_definitions/{definition_id}/"

    missing = await client.patch(url, json={"enforcement_mode": "reject"})
    wrong = await client.patch(url, json={"enforcement_mode": "reject"}, headers={"X-CSRF-Token": csrf[:-1]})
    delete = await client.delete(url)
    unchanged = await client.get(url)
    done = await client.patch(url, json={"enforcement_mode": "reject"}, headers={"X-CSRF-Token": csrf})

    for response in (missing, wrong, delete):
        assert response.status_code == 403
        assert response.json() == CSRF_FAILED
    assert unchanged.json()["enforcement_mode"] == "allow"
    assert done.status_code == 200
    assert done.json()["enforcement_mode"] == "reject"


async def test_a_key_needs_no_csrf_token_and_wins_over_the_cookie(client, db) -> None:
    owner = await console_user(db)
    member = await console_member(db, owner.project_id, "member@example.com", level=1)
    definition_id = await _definition(client, owner)
    await sign_in(client, member)
    url = f"/api/projects/{owner.project_id}/event_definitions/{definition_id}/"

    patched = await client.patch(url, json={"description": "by key"}, headers=owner.account.headers)
    # Rotating the project key needs an admin: the owner's key may, the member's session may not.
    rotated = await client.post(f"/api/projects/{owner.project_id}/rotate_token/", headers=owner.account.headers)

    assert patched.status_code == 200
    assert rotated.status_code == 200


async def test_a_session_has_its_users_project_rights(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    csrf = await sign_in(client, user)

    other = await client.get(f"/api/projects/{foreign}/event_definitions/")
    missing = await client.get("/api/projects/999999/event_definitions/")
    write = await client.post(
        f"/api/projects/{foreign}/event_definitions/", json={"name": "x"}, headers={"X-CSRF-Token": csrf}
    )

    assert other.status_code == 403
    assert other.json() == error("authentication_error", "permission_denied", "You don't have access to the project.")
    assert missing.status_code == 404
    assert write.status_code == 403


async def test_a_member_session_is_held_to_the_members_level(client, db) -> None:
    owner = await console_user(db)
    member = await console_member(db, owner.project_id, "member@example.com", level=1)
    csrf = await sign_in(client, member)

    rotate = await client.post(f"/api/projects/{owner.project_id}/rotate_token/", headers={"X-CSRF-Token": csrf})

    assert rotate.status_code == 403
    assert rotate.json()["detail"] == "Your organization access level is insufficient for this action."


async def test_an_unknown_session_cookie_is_not_authenticated(db) -> None:
    user = await console_user(db)
    async with app_client(create_app(app_settings(), database=db)) as client:
        client.cookies.set("eventschema_session", "not-a-session")
        response = await client.get(f"/api/projects/{user.project_id}/event_definitions/")
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
