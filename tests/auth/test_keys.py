"""Key lifecycle through the API: revocation, scopes, last use."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from eventschema.auth import service as auth_service
from eventschema.auth.keys import hash_key
from eventschema.db import Database
from eventschema.models import PersonalAPIKey, User
from tests.app.helpers import error, missing_scope
from tests.factories import Account, make_key


async def _key_row(database: Database, value: str) -> PersonalAPIKey:
    async with database.session(write=False) as session:
        statement = select(PersonalAPIKey).where(PersonalAPIKey.secure_value == hash_key(value))
        return (await session.execute(statement)).scalar_one()


async def test_a_revoked_key_is_refused(client, db: Database, account: Account) -> None:
    before = await client.get(account.url("event_definitions/"), headers=account.headers)
    key_id = (await _key_row(db, account.api_key)).id
    async with db.session(write=True) as session:
        await auth_service.revoke_key(session, key_id)
        await session.commit()

    after = await client.get(account.url("event_definitions/"), headers=account.headers)

    assert before.status_code == 200
    assert after.status_code == 401
    assert after.json() == error(
        "authentication_error",
        "authentication_failed",
        "Personal API key found in request Authorization header is invalid.",
    )


async def test_revoking_one_key_leaves_the_others(client, db: Database, account: Account) -> None:
    other = await make_key(db, account.email, ["*"])
    async with db.session(write=True) as session:
        await auth_service.revoke_key(session, (await _key_row(db, account.api_key)).id)
        await session.commit()

    response = await client.get(account.url("event_definitions/"), headers={"Authorization": f"Bearer {other}"})

    assert response.status_code == 200


async def test_a_key_of_a_deactivated_user_is_refused(client, db: Database, account: Account) -> None:
    async with db.session(write=True) as session:
        await session.execute(update(User).where(User.id == account.user_id).values(is_active=False))
        await session.commit()

    response = await client.get(account.url("event_definitions/"), headers=account.headers)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


async def test_write_scope_implies_read(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["event_definition:write"])
    headers = {"Authorization": f"Bearer {key}"}

    created = await client.post(account.url("event_definitions/"), json={"name": "e"}, headers=headers)
    listed = await client.get(account.url("event_definitions/"), headers=headers)

    assert created.status_code == 201
    assert listed.status_code == 200
    assert listed.json()["count"] == 1


async def test_read_scope_does_not_imply_write(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["event_definition:read"])

    response = await client.post(
        account.url("event_definitions/"), json={"name": "e"}, headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 403
    assert response.json() == missing_scope("event_definition:write")


async def test_star_grants_everything(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["*"])
    headers = {"Authorization": f"Bearer {key}"}

    responses = [
        await client.get("/api/users/@me/", headers=headers),
        await client.get("/api/projects/", headers=headers),
        await client.get(f"/api/projects/{account.project_id}/", headers=headers),
        await client.post(account.url("event_definitions/"), json={"name": "e"}, headers=headers),
        await client.get(account.url("event_definitions/"), headers=headers),
        await client.get(account.url("schema_property_groups/"), headers=headers),
        await client.get(account.url("event_schemas/"), headers=headers),
    ]

    assert [response.status_code for response in responses] == [200, 200, 200, 201, 200, 200, 200]


async def test_scopes_of_one_object_do_not_grant_another(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["user:write", "project:write"])
    headers = {"Authorization": f"Bearer {key}"}

    me = await client.get("/api/users/@me/", headers=headers)
    definitions = await client.get(account.url("event_definitions/"), headers=headers)

    assert me.status_code == 200
    assert definitions.json() == missing_scope("event_definition:read")


async def test_last_used_at_is_set_on_first_use(client, db: Database, account: Account) -> None:
    assert (await _key_row(db, account.api_key)).last_used_at is None
    before = datetime.now(UTC)

    response = await client.get(account.url("event_definitions/"), headers=account.headers)

    assert response.status_code == 200
    used = (await _key_row(db, account.api_key)).last_used_at
    assert used is not None
    assert before - timedelta(seconds=1) <= used <= datetime.now(UTC) + timedelta(seconds=1)


async def test_last_used_at_is_set_by_a_write_request(client, db: Database, account: Account) -> None:
    response = await client.post(account.url("event_definitions/"), json={"name": "e"}, headers=account.headers)

    assert response.status_code == 201
    assert (await _key_row(db, account.api_key)).last_used_at is not None


async def test_last_used_at_is_not_rewritten_on_every_request(client, db: Database, account: Account) -> None:
    await client.get(account.url("event_definitions/"), headers=account.headers)
    first = (await _key_row(db, account.api_key)).last_used_at

    await client.get(account.url("event_definitions/"), headers=account.headers)

    assert (await _key_row(db, account.api_key)).last_used_at == first


async def test_only_the_key_used_is_touched(client, db: Database, account: Account) -> None:
    other = await make_key(db, account.email, ["*"])

    await client.get(account.url("event_definitions/"), headers=account.headers)

    assert (await _key_row(db, other)).last_used_at is None


async def test_last_used_at_is_set_even_when_the_request_is_refused(client, db: Database, account: Account) -> None:
    # PostHog records the use when it authenticates the key, whatever the request then turns into.
    response = await client.post(account.url("event_definitions/"), json={"name": ""}, headers=account.headers)

    assert response.status_code == 400
    assert (await _key_row(db, account.api_key)).last_used_at is not None
