"""Versions and the activity log: every write through the ordinary API is recorded, versions rebuild exactly."""

import asyncio

import httpx

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, missing_scope
from tests.factories import Account, StatementCounter, make_key
from tests.plan.helpers import PLAN, apply, export, post


async def _plan_by_api(client: httpx.AsyncClient, account: Account) -> dict[str, str]:
    """Four versions through the ordinary endpoints; returns the ids."""
    event = await post(client, account, "event_definitions/", {"name": "signed_up"})
    group = await post(
        client,
        account,
        "schema_property_groups/",
        {"name": "account", "properties": [{"name": "plan", "property_type": "String", "is_required": True}]},
    )
    link_body = {"event_definition": event["id"], "property_group_id": group["id"]}
    link = await post(client, account, "event_schemas/", link_body)
    url = account.url(f"schema_property_groups/{group['id']}/")
    properties = [{**group["properties"][0], "is_required": False}, {"name": "seats", "property_type": "Numeric"}]
    response = await client.patch(url, json={"properties": properties}, headers=account.headers)
    assert response.status_code == 200
    return {"event": event["id"], "group": group["id"], "link": link["id"]}


async def test_each_api_write_is_a_version_that_rebuilds_exactly(client, account: Account) -> None:
    await _plan_by_api(client, account)
    documents = []
    for version in range(5):
        response = await export(client, account, at=str(version))
        assert response.status_code == 200
        documents.append(response.json())
    assert documents[0]["events"] == {} and documents[0]["property_groups"] == {}
    assert list(documents[1]["events"]) == ["signed_up"] and documents[1]["property_groups"] == {}
    assert documents[2]["property_groups"]["account"]["properties"]["plan"]["is_required"] is True
    assert documents[3]["events"]["signed_up"]["property_groups"] == ["account"]
    assert documents[4] == (await export(client, account)).json()
    assert list(documents[4]["property_groups"]["account"]["properties"]) == ["plan", "seats"]
    yaml_now = (await export(client, account, format="yaml")).text
    assert (await export(client, account, at="4", format="yaml")).text == yaml_now

    response = await client.get(account.url("plan/versions/"), headers=account.headers)
    versions = response.json()
    assert versions["count"] == 4
    assert [item["version"] for item in versions["results"]] == [4, 3, 2, 1]
    assert versions["results"][0]["user"]["email"] == account.email

    response = await client.get(account.url("plan/versions/4/diff/"), headers=account.headers)
    changes = response.json()["changes"]
    assert [(c["path"], c["classification"]) for c in changes] == [
        ("property_groups.account.properties.plan.is_required", "loosening"),
        ("property_groups.account.properties.seats", "tightening"),
    ]
    response = await client.get(account.url("plan/versions/4/diff/"), params={"against": 0}, headers=account.headers)
    assert {c["path"] for c in response.json()["changes"]} == {
        "property_groups.account",
        "events.signed_up",
        "events.signed_up.property_groups.account",
    }


async def test_at_a_time_and_bad_versions(client, account: Account) -> None:
    await post(client, account, "event_definitions/", {"name": "signed_up"})
    assert (await export(client, account, at="2000-01-01T00:00:00Z")).json()["events"] == {}
    assert list((await export(client, account, at="2999-01-01T00:00:00Z")).json()["events"]) == ["signed_up"]
    response = await export(client, account, at="5")
    assert response.status_code == 404
    for bad in ("yesterday", "2020-01-01T00:00:00"):
        response = await export(client, account, at=bad)
        assert response.status_code == 400 and response.json()["attr"] == "at"
    response = await export(client, account, format="xml")
    assert response.status_code == 400 and response.json()["attr"] == "format"
    url = account.url("plan/versions/1/diff/")
    response = await client.get(url, params={"against": "x"}, headers=account.headers)
    assert response.status_code == 400 and response.json()["attr"] == "against"
    assert (await client.get(account.url("plan/versions/0/diff/"), headers=account.headers)).status_code == 404


async def test_a_write_that_changes_nothing_is_no_version(client, account: Account) -> None:
    ids = await _plan_by_api(client, account)
    url = account.url(f"event_definitions/{ids['event']}/")
    before = (await client.get(url, headers=account.headers)).json()
    response = await client.patch(url, json={"description": ""}, headers=account.headers)
    assert response.json()["schema_version"] == before["schema_version"]
    versions = (await client.get(account.url("plan/versions/"), headers=account.headers)).json()
    assert versions["count"] == 4


async def test_schema_version_grows_with_each_change_affecting_the_event(client, account: Account) -> None:
    event = await post(client, account, "event_definitions/", {"name": "signed_up"})
    other = await post(client, account, "event_definitions/", {"name": "other"})
    url = account.url(f"event_definitions/{event['id']}/")
    assert event["schema_version"] == 1
    group = await post(client, account, "schema_property_groups/", {"name": "g"})
    assert (await client.get(url, headers=account.headers)).json()["schema_version"] == 1
    await post(client, account, "event_schemas/", {"event_definition": event["id"], "property_group_id": group["id"]})
    assert (await client.get(url, headers=account.headers)).json()["schema_version"] == 2
    group_url = account.url(f"schema_property_groups/{group['id']}/")
    properties = [{"name": "a", "property_type": "String"}]
    await client.patch(group_url, json={"properties": properties}, headers=account.headers)
    assert (await client.get(url, headers=account.headers)).json()["schema_version"] == 3
    await client.patch(url, json={"enforcement_mode": "reject"}, headers=account.headers)
    assert (await client.get(url, headers=account.headers)).json()["schema_version"] == 4
    other_url = account.url(f"event_definitions/{other['id']}/")
    assert (await client.get(other_url, headers=account.headers)).json()["schema_version"] == 1
    document = PLAN | {"events": {"signed_up": {"property_groups": ["g"], "enforcement_mode": "warn"}}}
    document = {"version": 1, "events": document["events"]}
    await apply(client, account, document)
    assert (await client.get(url, headers=account.headers)).json()["schema_version"] == 5


async def test_activity_log(client, db: Database, account: Account) -> None:
    ids = await _plan_by_api(client, account)
    await client.delete(account.url(f"event_schemas/{ids['link']}/"), headers=account.headers)
    response = await client.get(account.url("activity_log/"), headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    latest, update = body["results"][0], body["results"][1]
    assert latest["activity"] == "deleted" and latest["scope"] == "EventSchema" and latest["item_id"] == ids["link"]
    assert update["activity"] == "updated" and update["scope"] == "SchemaPropertyGroup"
    assert update["detail"]["name"] == "account"
    assert update["detail"]["changes"][0]["field"] == "properties"
    assert update["detail"]["changes"][0]["type"] == "SchemaPropertyGroup"
    assert update["user"]["email"] == account.email
    assert set(update) == {"user", "activity", "scope", "item_id", "detail", "created_at"}

    log = account.url("activity_log/")
    response = await client.get(log, params={"scope": "EventDefinition"}, headers=account.headers)
    found = [(item["activity"], item["detail"]["name"]) for item in response.json()["results"]]
    assert found == [("created", "signed_up")]
    response = await client.get(log, params={"item_id": ids["group"]}, headers=account.headers)
    assert response.json()["count"] == 2
    response = await client.get(account.url("activity_log/"), params={"limit": 2}, headers=account.headers)
    assert len(response.json()["results"]) == 2 and response.json()["next"] is not None
    response = await client.get(account.url("activity_log/"), params={"scope": "Nope"}, headers=account.headers)
    assert response.status_code == 400 and response.json()["attr"] == "scope"

    assert (await client.get(account.url("activity_log/"))).json() == NOT_AUTHENTICATED
    key = await make_key(db, account.email, ["project:read"])
    response = await client.get(account.url("activity_log/"), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403 and response.json() == missing_scope("event_definition:read")
    assert (await client.get("/api/projects/999/activity_log/", headers=account.headers)).status_code == 404


async def test_concurrent_api_writes_each_get_a_version(client, account: Account) -> None:
    await asyncio.gather(*(post(client, account, "event_definitions/", {"name": f"e{n}"}) for n in range(8)))
    versions = (await client.get(account.url("plan/versions/"), headers=account.headers)).json()
    assert sorted(item["version"] for item in versions["results"]) == list(range(1, 9))
    assert len((await export(client, account, at="8")).json()["events"]) == 8


async def test_list_pages_cost_the_same_statements_however_much_history(client, db: Database, account: Account) -> None:
    async def statements(path: str) -> int:
        await client.get(account.url(path), headers=account.headers)  # warms the key cache
        with StatementCounter(db) as counter:
            response = await client.get(account.url(path), headers=account.headers)
        assert response.status_code == 200
        return counter.count

    await post(client, account, "event_definitions/", {"name": "first"})
    few = {path: await statements(path) for path in ("activity_log/", "plan/versions/")}
    for n in range(6):
        await post(client, account, "event_definitions/", {"name": f"e{n}"})
    await statements("plan/versions/")  # numbers the new versions
    assert {path: await statements(path) for path in ("activity_log/", "plan/versions/")} == few


async def test_events_created_by_capture_join_the_history_when_linked(client, account: Account) -> None:
    token = (await client.get(f"/api/projects/{account.project_id}/", headers=account.headers)).json()["api_token"]
    response = await client.post("/capture/", json={"api_key": token, "event": "seen", "distinct_id": "u"})
    assert response.status_code == 200
    group = await post(client, account, "schema_property_groups/", {"name": "g"})
    seen = (
        await client.get(account.url("event_definitions/by_name/"), params={"name": "seen"}, headers=account.headers)
    ).json()
    await post(client, account, "event_schemas/", {"event_definition": seen["id"], "property_group_id": group["id"]})
    now = (await export(client, account)).json()
    assert now["events"]["seen"]["property_groups"] == ["g"]
    assert (await export(client, account, at="2")).json() == now

    await apply(client, account, {"version": 1, "events": {"seen": {"property_groups": []}}})
    await post(client, account, "event_definitions/", {"name": "other"})
    response = await client.post("/capture/", json={"api_key": token, "event": "later", "distinct_id": "u"})
    later_plan = {"version": 1, "events": {"later": {"property_groups": ["g"]}}}
    assert (await apply(client, account, later_plan)).json()["version"] == 5
    assert (await export(client, account, at="5")).json() == (await export(client, account)).json()


async def test_version_numbers_are_ascii_digits(client, account: Account) -> None:
    await post(client, account, "event_definitions/", {"name": "e"})
    assert (await client.get(account.url("plan/versions/%C2%B9/diff/"), headers=account.headers)).status_code == 404
    response = await export(client, account, at="\u00b9")
    assert response.status_code == 400 and response.json()["attr"] == "at"
    assert (await export(client, account, at="")).json() == (await export(client, account)).json()
