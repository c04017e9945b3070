"""GET plan/, POST plan/diff/ and plan/apply/: the document, its round trip, and apply's guarantees."""

import copy

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, foreign_project, missing_scope, not_found
from tests.factories import Account, make_account, make_key
from tests.plan.helpers import PLAN, apply, export, post


async def test_apply_to_an_empty_project_then_export_gives_the_same_document(client, account: Account) -> None:
    response = await apply(client, account, PLAN)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    assert (await export(client, account)).json() == PLAN
    yaml_text = (await export(client, account, format="yaml")).text
    assert yaml_text.startswith("version: 1\nvalidation_mode: posthog\nproperty_groups:\n  account:\n")


async def test_round_trip_is_byte_exact(client, db: Database, account: Account) -> None:
    """export -> apply to an empty project -> export."""
    await apply(client, account, PLAN)
    first = (await export(client, account, format="yaml")).text
    second = await make_account(db, email=account.email, project="Second")
    assert second.project_id != account.project_id
    response = await apply(client, second, first)
    assert response.status_code == 200, response.text
    assert (await export(client, second, format="yaml")).text == first


async def test_applying_the_same_file_twice_changes_nothing_the_second_time(client, account: Account) -> None:
    first = await apply(client, account, PLAN)
    second = await apply(client, account, PLAN)
    assert second.status_code == 200
    assert second.json() == {"changes": [], "version": first.json()["version"]}
    versions = (await client.get(account.url("plan/versions/"), headers=account.headers)).json()
    assert versions["count"] == 1
    activity = (await client.get(account.url("activity_log/"), headers=account.headers)).json()
    assert activity["count"] == 2 + 2 + 2  # two groups, two events, two links


async def test_property_ids_stay_for_properties_that_keep_their_name(client, account: Account) -> None:
    await apply(client, account, PLAN)
    groups = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()["results"]
    before = {(g["name"], p["name"]): p["id"] for g in groups for p in g["properties"]}
    changed = copy.deepcopy(PLAN)
    changed["property_groups"]["account"]["properties"]["plan"]["description"] = "tier"
    changed["property_groups"]["account"]["properties"]["country"] = {"property_type": "String"}
    response = await apply(client, account, changed)
    assert response.json()["version"] == 2
    groups = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()["results"]
    after = {(g["name"], p["name"]): p["id"] for g in groups for p in g["properties"]}
    assert {key: after[key] for key in before} == before
    assert ("account", "country") in after


async def test_without_prune_absent_groups_and_events_stay(client, account: Account) -> None:
    await post(client, account, "event_definitions/", {"name": "kept"})
    await post(client, account, "schema_property_groups/", {"name": "kept group"})
    await apply(client, account, PLAN)
    document = (await export(client, account)).json()
    assert "kept" in document["events"] and "kept group" in document["property_groups"]
    response = await apply(client, account, PLAN, prune=True)
    removed = [change["path"] for change in response.json()["changes"]]
    assert removed == ["property_groups.kept group", "events.kept"]
    assert (await export(client, account)).json() == PLAN


async def test_dry_run_changes_nothing(client, account: Account) -> None:
    response = await apply(client, account, PLAN, dry_run=True)
    assert response.status_code == 200
    assert response.json()["version"] == 0
    assert len(response.json()["changes"]) > 0
    assert (await export(client, account)).json() == {**PLAN, "property_groups": {}, "events": {}}


async def test_a_failed_apply_changes_nothing(client, account: Account) -> None:
    await apply(client, account, PLAN)
    broken = copy.deepcopy(PLAN)
    broken["property_groups"]["account"]["description"] = "changed"
    broken["events"]["signed_up"]["property_groups"] = ["account", "nowhere"]
    response = await apply(client, account, broken)
    assert response.status_code == 400
    assert response.json()["attr"] == "plan__events__signed_up__property_groups"
    assert (await export(client, account)).json() == PLAN
    assert (await client.get(account.url("plan/versions/"), headers=account.headers)).json()["count"] == 1


async def test_invalid_documents_are_400_naming_the_field(client, account: Account) -> None:
    bad_type = copy.deepcopy(PLAN)
    bad_type["property_groups"]["account"]["properties"]["plan"]["property_type"] = "Text"
    misspelt = copy.deepcopy(PLAN)
    misspelt["events"]["signed_up"]["enforcment_mode"] = "reject"
    for plan, attr in [
        ({"events": {}}, "plan__version"),
        (bad_type, "plan__property_groups__account__properties__plan__property_type"),
        (misspelt, "plan__events__signed_up__enforcment_mode"),
        ("version: [", "plan"),
        ("- a list", "plan"),
        ("version: 1\nevents:\n  a: &x {}\n  b: *x\n", "plan"),
    ]:
        response = await apply(client, account, plan)
        assert response.status_code == 400, plan
        assert response.json()["attr"] == attr


async def test_plan_routes_need_a_key_the_scope_and_the_project(client, db: Database, account: Account) -> None:
    for method, path in [("GET", "plan/"), ("POST", "plan/diff/"), ("POST", "plan/apply/"), ("GET", "plan/versions/")]:
        response = await client.request(method, account.url(path), json={"plan": PLAN})
        assert response.status_code == 401
        assert response.json() == NOT_AUTHENTICATED
    reader = await make_key(db, account.email, ["event_definition:read"])
    headers = {"Authorization": f"Bearer {reader}"}
    assert (await client.get(account.url("plan/"), headers=headers)).status_code == 200
    assert (await client.post(account.url("plan/diff/"), json={"plan": PLAN}, headers=headers)).status_code == 200
    response = await client.post(account.url("plan/apply/"), json={"plan": PLAN}, headers=headers)
    assert response.status_code == 403
    assert response.json() == missing_scope("event_definition:write")
    response = await client.get("/api/projects/999/plan/", headers=account.headers)
    assert response.status_code == 404
    foreign = await foreign_project(db)
    response = await client.get(f"/api/projects/{foreign}/plan/", headers=account.headers)
    assert response.status_code == 403
    response = await client.get(account.url("plan/versions/7/diff/"), headers=account.headers)
    assert response.json() == not_found()
