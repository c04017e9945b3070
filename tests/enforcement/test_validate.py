"""POST /api/projects/:project_id/event_schemas/validate/: a verdict per event, in input order, whatever the
definitions' enforcement modes, saying what the gateway would do."""

import pytest

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, foreign_project, missing_scope, not_found
from tests.enforcement.helpers import api, define, validate
from tests.factories import Account, make_account, make_key

MISSING_SEATS = {"property": "seats", "reason": "missing_required", "expected_types": ["Numeric"], "actual_value": None}


async def test_one_valid_event(client, account: Account) -> None:
    await define(client, account)

    results = await validate(client, account, {"event": "signed up", "properties": {"plan": "pro", "seats": 2}})

    assert results == [{"event": "signed up", "valid": True, "action": "forward", "violations": []}]


async def test_a_batch_in_input_order_with_the_gateways_action(client, account: Account) -> None:
    await define(client, account, "rejected", mode="reject")
    await define(client, account, "warned", mode="warn")
    await define(client, account, "allowed", mode="allow")

    results = await validate(
        client,
        account,
        {
            "batch": [
                {"event": "rejected", "properties": {"plan": "pro"}},
                {"event": "warned", "properties": {"plan": "pro"}},
                {"event": "allowed", "properties": {"plan": "pro"}},
                {"event": "never defined", "properties": {"anything": 1}},
                {"event": "rejected", "properties": {"plan": "pro", "seats": "3"}},
                {"event": "rejected"},
            ]
        },
    )

    assert [(r["event"], r["valid"], r["action"]) for r in results] == [
        ("rejected", False, "quarantine"),
        ("warned", False, "mark"),
        ("allowed", False, "forward"),
        ("never defined", True, "forward"),
        ("rejected", True, "forward"),
        ("rejected", False, "quarantine"),
    ]
    assert results[0]["violations"] == [MISSING_SEATS]
    assert results[2]["violations"] == [MISSING_SEATS]
    assert [v["property"] for v in results[5]["violations"]] == ["plan", "seats"]


async def test_strict_mode_also_flags_undeclared_properties(client, account: Account) -> None:
    await define(client, account, "loose", mode="reject")
    await define(client, account, "flagged", mode="reject", flag_unexpected=True)
    batch = {
        "batch": [
            {"event": "loose", "properties": {"plan": "pro", "seats": 1, "trial": "maybe", "extra": 1}},
            {"event": "flagged", "properties": {"plan": "pro", "seats": 1, "extra": 1, "$lib": "web"}},
        ]
    }

    posthog = await validate(client, account, batch)
    await api(client, account, "PATCH", "validation_settings/", json={"validation_mode": "strict"})
    strict = await validate(client, account, batch)

    # Both modes type-check the optional "trial" when present, as PostHog does; only strict flags "extra".
    trial = {"property": "trial", "reason": "type_mismatch", "expected_types": ["Boolean"], "actual_value": "maybe"}
    assert [r["violations"] for r in posthog] == [[trial], []]
    assert strict[0]["violations"] == [trial]
    assert strict[1]["violations"] == [
        {"property": "extra", "reason": "unexpected_property", "expected_types": [], "actual_value": "1"}
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, error("validation_error", "required", "This field is required.", "event")),
        ({"event": ""}, error("validation_error", "blank", "This field may not be blank.", "event")),
        ({"event": None}, error("validation_error", "null", "This field may not be null.", "event")),
        ({"event": 5}, error("validation_error", "invalid_input", "Not a valid string.", "event")),
        (
            {"event": "e", "properties": [1]},
            error(
                "validation_error", "invalid_input", "Invalid data. Expected a dictionary, but got list.", "properties"
            ),
        ),
        (
            {"batch": "x"},
            error("validation_error", "not_a_list", 'Expected a list of items but got type "str".', "batch"),
        ),
        (
            {"batch": [{"event": "a"}, {"properties": {}}]},
            error("validation_error", "required", "This field is required.", "batch__1__event"),
        ),
        (
            {"batch": [{"event": "a"}] * 10_001},
            error("validation_error", "max_length", "Ensure this field has no more than 10000 elements.", "batch"),
        ),
    ],
)
async def test_malformed_requests_are_400(client, account: Account, body, expected) -> None:
    response = await client.post(account.url("event_schemas/validate/"), json=body, headers=account.headers)

    assert response.status_code == 400
    assert response.json() == expected


async def test_the_largest_batch(client, account: Account) -> None:
    await define(client, account)
    batch = [{"event": "signed up", "properties": {"plan": "p", "seats": i}} for i in range(10_000)]
    batch[9_999] = {"event": "signed up", "properties": {"plan": "p"}}

    results = await validate(client, account, {"batch": batch})

    assert len(results) == 10_000
    assert [r["valid"] for r in results[-2:]] == [True, False]


async def test_read_scope_is_enough(client, db: Database, account: Account) -> None:
    read_only = await make_key(db, account.email, ["event_definition:read"])
    unrelated = await make_key(db, account.email, ["project:write"])
    url = account.url("event_schemas/validate/")
    body = {"event": "e"}

    allowed = await client.post(url, json=body, headers={"Authorization": f"Bearer {read_only}"})
    refused = await client.post(url, json=body, headers={"Authorization": f"Bearer {unrelated}"})
    anonymous = await client.post(url, json=body)

    assert allowed.status_code == 200
    assert (refused.status_code, refused.json()) == (403, missing_scope("event_definition:read"))
    assert (anonymous.status_code, anonymous.json()) == (401, NOT_AUTHENTICATED)


async def test_other_projects_are_403_or_404(client, db: Database, account: Account) -> None:
    foreign = await foreign_project(db)
    body = {"event": "e"}

    unknown = await client.post("/api/projects/999999/event_schemas/validate/", json=body, headers=account.headers)
    theirs = await client.post(f"/api/projects/{foreign}/event_schemas/validate/", json=body, headers=account.headers)

    assert (unknown.status_code, unknown.json()) == (404, not_found("Project not found."))
    assert theirs.status_code == 403


async def test_projects_are_isolated(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    await define(client, account)

    results = await validate(client, second, {"event": "signed up"})

    assert results == [{"event": "signed up", "valid": True, "action": "forward", "violations": []}]


async def test_get_is_the_event_schema_routes_404(client, account: Account) -> None:
    # GET event_schemas/<id>/ takes the path, and "validate" names no event schema.
    response = await client.get(account.url("event_schemas/validate/"), headers=account.headers)

    assert (response.status_code, response.json()) == (404, not_found())
