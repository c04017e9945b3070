"""POST event_definitions/."""

import uuid
from datetime import UTC, datetime, timedelta

from tests.app.helpers import error
from tests.event_definitions.helpers import DEFINITION_KEYS, create_definition
from tests.factories import Account


async def test_create_returns_201_and_the_definition(client, account: Account) -> None:
    before = datetime.now(UTC)
    response = await client.post(account.url("event_definitions/"), json={"name": "signed up"}, headers=account.headers)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == DEFINITION_KEYS
    assert uuid.UUID(body["id"]).version == 7
    assert body["name"] == "signed up"
    assert body["description"] == ""
    assert body["enforcement_mode"] == "allow"
    assert body["last_seen_at"] is None
    assert body["created_at"].endswith("Z")
    created_at = datetime.fromisoformat(body["created_at"])
    assert before - timedelta(seconds=1) <= created_at <= datetime.now(UTC) + timedelta(seconds=1)

    stored = await client.get(account.url(f"event_definitions/{body['id']}/"), headers=account.headers)
    assert stored.json() == body


async def test_create_with_every_field(client, account: Account) -> None:
    body = await create_definition(client, account, "  padded  ", description="why", enforcement_mode="reject")

    assert (body["name"], body["description"], body["enforcement_mode"]) == ("padded", "why", "reject")


async def test_duplicate_name_is_refused(client, account: Account) -> None:
    await create_definition(client, account, "signed up")

    response = await client.post(account.url("event_definitions/"), json={"name": "signed up"}, headers=account.headers)

    assert response.status_code == 400
    assert response.json() == error(
        "validation_error", "unique", "An event definition with this name already exists in this project.", "name"
    )
    listed = await client.get(account.url("event_definitions/"), headers=account.headers)
    assert listed.json()["count"] == 1


INVALID_BODIES = [
    ({}, error("validation_error", "required", "This field is required.", "name")),
    ({"name": ""}, error("validation_error", "blank", "This field may not be blank.", "name")),
    ({"name": "   "}, error("validation_error", "blank", "This field may not be blank.", "name")),
    ({"name": None}, error("validation_error", "null", "This field may not be null.", "name")),
    (
        {"name": "x" * 401},
        error("validation_error", "max_length", "Ensure this field has no more than 400 characters.", "name"),
    ),
    (
        {"name": "ok", "enforcement_mode": "bogus"},
        error("validation_error", "invalid_choice", '"bogus" is not a valid choice.', "enforcement_mode"),
    ),
    ({"name": ["a"]}, error("validation_error", "invalid_input", "Not a valid string.", "name")),
]


async def test_invalid_bodies_are_refused(client, account: Account) -> None:
    for body, expected in INVALID_BODIES:
        response = await client.post(account.url("event_definitions/"), json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.json() == expected, body
    listed = await client.get(account.url("event_definitions/"), headers=account.headers)
    assert listed.json()["count"] == 0


async def test_a_name_of_exactly_400_characters_is_accepted(client, account: Account) -> None:
    body = await create_definition(client, account, "n" * 400)

    assert body["name"] == "n" * 400


async def test_create_accepts_form_data(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"),
        data={"name": "from a form", "enforcement_mode": "reject"},
        headers=account.headers,
    )

    assert response.status_code == 201
    assert (response.json()["name"], response.json()["enforcement_mode"]) == ("from a form", "reject")


async def test_null_characters_are_refused(client, account: Account) -> None:
    # PostgreSQL cannot store NUL in text; DRF's CharField refuses it up front, on every back end.
    expected = error("validation_error", "null_characters_not_allowed", "Null characters are not allowed.", "name")

    as_json = await client.post(account.url("event_definitions/"), json={"name": "a\x00b"}, headers=account.headers)
    as_form = await client.post(account.url("event_definitions/"), data={"name": "a\x00b"}, headers=account.headers)

    assert (as_json.status_code, as_json.json()) == (400, expected)
    assert (as_form.status_code, as_form.json()) == (400, expected)
