"""Compiled plans are cached per process and per schema version: every schema write bumps the version, a change
is enforced at once by the process that made it, and a change made elsewhere is noticed by the version check."""

from sqlalchemy import text

from eventschema.db import Database
from eventschema.settings import Settings
from tests.enforcement.helpers import NEW_SCHEMA_VERSION, api, define, validate
from tests.event_schemas.api import fresh_client
from tests.factories import Account, StatementCounter

INCOMPLETE = {"event": "signed up", "properties": {"plan": "pro"}}


async def _version(client, account: Account) -> int:
    return (await api(client, account, "GET", "validation_settings/"))["schema_version"]  # type: ignore[no-any-return]


async def test_changes_are_enforced_at_once(client, account: Account) -> None:
    created = await define(client, account)
    group = created["group"]
    assert (await validate(client, account, INCOMPLETE))[0]["action"] == "quarantine"

    relaxed = [{**p, "is_required": False} if p["name"] == "seats" else p for p in group["properties"]]
    await api(client, account, "PATCH", f"schema_property_groups/{group['id']}/", json={"properties": relaxed})
    assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True

    await define(
        client, account, "other", properties=[{"name": "region", "property_type": "String", "is_required": True}]
    )
    other_group = (await api(client, account, "GET", "schema_property_groups/"))["results"][0]
    body = {"event_definition": created["definition"]["id"], "property_group_id": other_group["id"]}
    link = await api(client, account, "POST", "event_schemas/", json=body)
    assert [v["property"] for v in (await validate(client, account, INCOMPLETE))[0]["violations"]] == ["region"]

    await api(
        client, account, "PATCH", f"event_definitions/{created['definition']['id']}/", json={"enforcement_mode": "warn"}
    )
    assert (await validate(client, account, INCOMPLETE))[0]["action"] == "mark"

    await api(client, account, "DELETE", f"event_schemas/{link['id']}/")
    assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True


async def test_every_schema_write_bumps_the_version(client, account: Account) -> None:
    versions = [await _version(client, account)]

    async def after(method: str, path: str, **kwargs: object) -> object:
        result = await api(client, account, method, path, **kwargs)
        versions.append(await _version(client, account))
        return result

    definition = await after("POST", "event_definitions/", json={"name": "e"})
    await after("PATCH", f"event_definitions/{definition['id']}/", json={"flag_unexpected": True})
    group = await after("POST", "schema_property_groups/", json={"name": "g"})
    await after("PATCH", f"schema_property_groups/{group['id']}/", json={"description": "d"})
    link = await after(
        "POST", "event_schemas/", json={"event_definition": definition["id"], "property_group_id": group["id"]}
    )
    await after(
        "PUT",
        f"event_schemas/{link['id']}/",
        json={"event_definition": definition["id"], "property_group_id": group["id"]},
    )
    await after("DELETE", f"event_schemas/{link['id']}/")
    await after("DELETE", f"schema_property_groups/{group['id']}/")
    await after("DELETE", f"event_definitions/{definition['id']}/")
    await after("PATCH", "validation_settings/", json={"validation_mode": "strict"})

    assert versions == list(range(versions[0], versions[0] + 11))


async def test_failed_writes_do_not_bump_the_version(client, account: Account) -> None:
    await api(client, account, "POST", "event_definitions/", json={"name": "e"})
    before = await _version(client, account)

    duplicate = await client.post(account.url("event_definitions/"), json={"name": "e"}, headers=account.headers)

    assert duplicate.status_code == 400
    assert await _version(client, account) == before


async def test_a_plan_loads_in_a_constant_number_of_statements(
    db: Database, settings: Settings, account: Account
) -> None:
    async def cold_validate_statements() -> int:
        async with fresh_client(db, settings) as fresh:
            with StatementCounter(db) as counter:
                await validate(fresh, account, INCOMPLETE)
            return counter.count

    async with fresh_client(db, settings) as client:
        await define(client, account)
        small = await cold_validate_statements()
        for i in range(20):
            await define(client, account, f"event {i}", group=f"group {i}")
        large = await cold_validate_statements()
        await validate(client, account, INCOMPLETE)
        revisions = client._transport.app.state.revisions  # type: ignore[attr-defined]
        reads = revisions.reads
        with StatementCounter(db) as warm:
            await validate(client, account, INCOMPLETE)

    assert small == large
    # Warm: the one statement reading the credentials revision and the schema version (`caching.revisions`, over
    # its own connection on PostgreSQL), instead of the three that load a plan, and the key remembered.
    assert revisions.reads == reads + 1
    assert [s for s in warm.statements if "SELECT" in s and "credential_changes" not in s] == []
    assert small > 3


async def test_a_change_made_elsewhere_is_noticed_by_the_version_check(client, db: Database, account: Account) -> None:
    await define(client, account)
    assert (await validate(client, account, INCOMPLETE))[0]["valid"] is False

    # As another process would: straight to the database, nothing announced to this one.
    async with db.engine.begin() as connection:
        await connection.execute(text("UPDATE schema_properties SET is_required = :no"), {"no": False})
        await connection.execute(text(NEW_SCHEMA_VERSION))

    assert (await validate(client, account, INCOMPLETE))[0]["valid"] is True


async def test_a_change_made_through_another_app_is_seen(
    client, db: Database, settings: Settings, account: Account
) -> None:
    created = await define(client, account)
    assert (await validate(client, account, INCOMPLETE))[0]["action"] == "quarantine"

    async with fresh_client(db, settings) as other:
        await api(
            other,
            account,
            "PATCH",
            f"event_definitions/{created['definition']['id']}/",
            json={"enforcement_mode": "allow"},
        )

    assert (await validate(client, account, INCOMPLETE))[0]["action"] == "forward"
