"""The drift report, proposals, and what every observed-traffic route answers without the right key."""

import uuid

from fastapi import FastAPI

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, foreign_project, missing_scope, not_found
from tests.enforcement.helpers import api, define, event
from tests.factories import Account, make_key
from tests.observed.helpers import definition_id, send

PLAN = [
    {"name": "plan", "property_type": "String", "is_required": True},
    {"name": "seats", "property_type": "Numeric", "is_required": True},
    {"name": "coupon", "property_type": "String"},
]


async def test_drift_report_worst_first(app: FastAPI, client, account: Account) -> None:
    await define(client, account, mode="allow", properties=PLAN)
    await send(
        app,
        client,
        account,
        [
            event(plan="pro", seats="many", extra=1, **{"$lib": "web"}),
            event(plan="pro", seats=2, extra=2),
            event(seats=3),
            event("clicked", button="a"),
            event("clicked"),
            event("viewed"),
        ],
    )

    report = await api(client, account, "GET", "drift/")

    assert report["count"] == 5
    assert [(r["kind"], r["event"], r["property"], r["count"], r["events"], r["share"]) for r in report["results"]] == [
        ("unplanned_event", "clicked", None, 2, 2, 1.0),
        ("unplanned_event", "viewed", None, 1, 1, 1.0),
        ("unplanned_property", "signed up", "extra", 2, 3, 0.6667),
        ("type_drift", "signed up", "seats", 1, 3, 0.3333),
        ("missing_required", "signed up", "plan", 1, 3, 0.3333),
    ]
    second = await api(client, account, "GET", "drift/", params={"limit": 2, "offset": 2})
    assert [r["property"] for r in second["results"]] == ["extra", "seats"]
    assert second["next"] is not None and second["previous"] is not None


async def test_required_properties_never_seen_are_missing(app: FastAPI, client, account: Account) -> None:
    await define(client, account, mode="allow", properties=PLAN)
    await send(app, client, account, [event(seats=1)])

    report = await api(client, account, "GET", "drift/")

    assert [(r["kind"], r["property"], r["count"]) for r in report["results"]] == [("missing_required", "plan", 1)]


async def test_a_proposal_posts_unchanged_as_a_property_group(app: FastAPI, client, account: Account) -> None:
    events = [
        event("checkout", amount=10 + i, paid=i % 2 == 0, at="2026-11-30T10:00:00Z", note=f"n{i}", cart={"n": i})
        for i in range(100)
    ]
    events[0]["properties"].pop("note")
    events[1]["properties"]["amount"] = "12.5"
    events[1]["properties"]["$lib"] = "web"
    await send(app, client, account, events)

    identifier = await definition_id(client, account, "checkout")
    proposal = await api(client, account, "POST", f"event_definitions/{identifier}/propose/")

    assert proposal["name"] == "checkout (observed)"
    assert proposal["description"] == "Proposed from 100 observed events."
    assert [(p["name"], p["property_type"], p["is_required"]) for p in proposal["properties"]] == [
        ("amount", "Numeric", True),
        ("at", "DateTime", True),
        ("cart", "Object", True),
        ("note", "String", True),  # 99 of 100
        ("paid", "Boolean", True),
    ]
    assert all("validation_rules" not in p for p in proposal["properties"])
    created = await api(client, account, "POST", "schema_property_groups/", json=proposal)
    assert [(p["name"], p["property_type"]) for p in created["properties"]] == [
        (p["name"], p["property_type"]) for p in proposal["properties"]
    ]


async def test_low_cardinality_strings_get_an_enum_suggestion(app: FastAPI, client, account: Account) -> None:
    await send(
        app, client, account, [event("upgraded", plan=["free", "pro", "team"][i % 3], ref=f"r{i}") for i in range(30)]
    )

    identifier = await definition_id(client, account, "upgraded")
    proposal = await api(client, account, "POST", f"event_definitions/{identifier}/propose/")

    plan, ref = proposal["properties"]
    assert plan == {
        "name": "plan",
        "property_type": "String",
        "is_required": True,
        "is_optional_in_types": False,
        "description": "",
        "validation_rules": {"enum": ["free", "pro", "team"]},
    }
    assert ref["name"] == "ref" and "validation_rules" not in ref


async def test_an_event_never_observed_gets_an_empty_draft(client, account: Account) -> None:
    created = await api(client, account, "POST", "event_definitions/", json={"name": "planned only"})

    proposal = await api(client, account, "POST", f"event_definitions/{created['id']}/propose/")

    assert proposal == {"name": "planned only (observed)", "description": "No events observed yet.", "properties": []}


async def test_sdk_must_be_a_boolean(app: FastAPI, client, account: Account) -> None:
    await send(app, client, account, [event("a", x=1)])
    identifier = await definition_id(client, account, "a")

    response = await client.get(
        account.url(f"event_definitions/{identifier}/observed_properties/"), params={"sdk": "maybe"},
        headers=account.headers,
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["attr"] == "sdk"


def _routes(identifier: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"event_definitions/{identifier}/observed_properties/"),
        ("POST", f"event_definitions/{identifier}/propose/"),
        ("GET", "drift/"),
    ]


async def test_routes_need_a_key_the_read_scope_and_a_visible_project(
    app: FastAPI, client, db: Database, account: Account
) -> None:
    await send(app, client, account, [event("a", x=1)])
    identifier = await definition_id(client, account, "a")
    writer_elsewhere = await make_key(db, account.email, ["project:read"])
    reader = await make_key(db, account.email, ["event_definition:read"])
    other = await foreign_project(db)
    for method, path in _routes(identifier):
        response = await client.request(method, account.url(path))
        assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED), path
        response = await client.request(
            method, account.url(path), headers={"Authorization": f"Bearer {writer_elsewhere}"}
        )
        assert (response.status_code, response.json()) == (403, missing_scope("event_definition:read")), path
        response = await client.request(method, account.url(path), headers={"Authorization": f"Bearer {reader}"})
        assert response.status_code == 200, path
        response = await client.request(method, f"/api/projects/{other}/{path}", headers=account.headers)
        assert response.status_code == 403, path
        response = await client.request(
            method, f"/api/projects/{account.project_id + 99}/{path}", headers=account.headers
        )
        assert (response.status_code, response.json()) == (404, not_found("Project not found.")), path


async def test_unknown_definitions_are_404(client, account: Account) -> None:
    for identifier in (str(uuid.uuid4()), "nope"):
        for method, path in _routes(identifier)[:2]:
            response = await client.request(method, account.url(path), headers=account.headers)
            assert (response.status_code, response.json()) == (404, not_found()), path
