"""GET /api/users/@me/."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from eventschema.db import Database
from eventschema.models import User
from tests.app.helpers import NOT_AUTHENTICATED, missing_scope
from tests.factories import USER_BASIC_KEYS, Account, make_account, make_key

USER_KEYS = {*USER_BASIC_KEYS, "date_joined", "team", "organization", "organizations"}


async def test_me(client, account: Account) -> None:
    project = (await client.get(f"/api/projects/{account.project_id}/", headers=account.headers)).json()

    response = await client.get("/api/users/@me/", headers=account.headers)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_KEYS
    assert body["id"] == account.user_id
    assert uuid.UUID(body["uuid"])
    assert isinstance(body["distinct_id"], str)
    assert len(body["distinct_id"]) == 32
    assert (body["first_name"], body["last_name"]) == ("", "")
    assert body["email"] == "owner@example.com"
    assert body["is_email_verified"] is False
    assert body["hedgehog_config"] is None
    assert body["role_at_organization"] is None
    assert body["date_joined"].endswith("Z")
    assert datetime.now(UTC) - datetime.fromisoformat(body["date_joined"]) < timedelta(minutes=5)
    assert body["team"] == {"id": account.project_id, "name": "Project"}
    assert body["organization"] == project["organization"]
    assert body["organizations"] == [
        {"id": project["organization"], "name": "Default organization", "membership_level": 15}
    ]


async def test_me_without_trailing_slash(client, account: Account) -> None:
    response = await client.get("/api/users/@me", headers=account.headers)

    assert response.status_code == 200
    assert response.json()["email"] == account.email


async def test_me_shows_the_keys_owner(client, db: Database, account: Account) -> None:
    other = await make_account(db, email="second@example.com", project="Project")

    response = await client.get("/api/users/@me/", headers=other.headers)

    assert response.json()["email"] == "second@example.com"
    assert response.json()["id"] == other.user_id
    assert response.json()["id"] != account.user_id


async def test_me_shows_profile_fields_and_only_the_public_hedgehog(client, db: Database, account: Account) -> None:
    hedgehog = {"use_as_profile": True, "color": "blue", "accessories": ["hat"], "walking_enabled": True}
    async with db.session(write=True) as session:
        await session.execute(
            update(User)
            .where(User.id == account.user_id)
            .values(first_name="Ada", last_name="L", role_at_organization="engineering", hedgehog_config=hedgehog)
        )
        await session.commit()

    body = (await client.get("/api/users/@me/", headers=account.headers)).json()

    assert (body["first_name"], body["last_name"], body["role_at_organization"]) == ("Ada", "L", "engineering")
    assert body["hedgehog_config"] == {"use_as_profile": True, "color": "blue", "accessories": ["hat"]}


async def test_user_read_scope_is_required(client, db: Database, account: Account) -> None:
    refused = await make_key(db, account.email, ["event_definition:write", "project:write"])
    allowed = await make_key(db, account.email, ["user:read"])

    no_scope = await client.get("/api/users/@me/", headers={"Authorization": f"Bearer {refused}"})
    with_scope = await client.get("/api/users/@me/", headers={"Authorization": f"Bearer {allowed}"})

    assert no_scope.status_code == 403
    assert no_scope.json() == missing_scope("user:read")
    assert with_scope.status_code == 200


async def test_me_needs_credentials(client, account: Account) -> None:
    response = await client.get("/api/users/@me/")

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


async def test_me_without_a_current_project(client, db: Database, account: Account) -> None:
    async with db.session(write=True) as session:
        await session.execute(update(User).where(User.id == account.user_id).values(current_project_id=None))
        await session.commit()

    me = await client.get("/api/users/@me/", headers=account.headers)
    current = await client.get("/api/projects/@current/", headers=account.headers)

    assert me.status_code == 200
    assert (me.json()["team"], me.json()["organization"]) == (None, None)
    assert current.status_code == 404
    assert current.json()["detail"] == "Project not found."
