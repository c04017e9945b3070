"""GET, PATCH and PUT event_definitions/:id/."""

from tests.app.helpers import error
from tests.event_definitions.helpers import create_definition
from tests.factories import Account


async def test_retrieve(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up", description="d")

    response = await client.get(account.url(f"event_definitions/{created['id']}/"), headers=account.headers)

    assert response.status_code == 200
    assert response.json() == created


async def test_patch_enforcement_mode(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")
    url = account.url(f"event_definitions/{created['id']}/")

    for step, mode in enumerate(("reject", "allow", "reject"), start=2):
        response = await client.patch(url, json={"enforcement_mode": mode}, headers=account.headers)
        assert response.status_code == 200
        assert response.json() == {**created, "enforcement_mode": mode, "schema_version": step}
        assert (await client.get(url, headers=account.headers)).json()["enforcement_mode"] == mode


INVALID_PATCHES = [
    (
        {"enforcement_mode": "bogus"},
        error("validation_error", "invalid_choice", '"bogus" is not a valid choice.', "enforcement_mode"),
    ),
    ({"enforcement_mode": None}, error("validation_error", "null", "This field may not be null.", "enforcement_mode")),
    ({"name": None}, error("validation_error", "null", "This field may not be null.", "name")),
    ({"name": ""}, error("validation_error", "blank", "This field may not be blank.", "name")),
    (
        {"name": "y" * 401},
        error("validation_error", "max_length", "Ensure this field has no more than 400 characters.", "name"),
    ),
]


async def test_patch_refuses_invalid_values(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")
    url = account.url(f"event_definitions/{created['id']}/")

    for body, expected in INVALID_PATCHES:
        response = await client.patch(url, json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.json() == expected, body
    assert (await client.get(url, headers=account.headers)).json() == created


async def test_patch_renames(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up", enforcement_mode="reject")
    url = account.url(f"event_definitions/{created['id']}/")

    response = await client.patch(url, json={"name": "  registered "}, headers=account.headers)

    assert response.status_code == 200
    assert response.json() == {**created, "name": "registered", "schema_version": 2}
    by_name = await client.get(account.url("event_definitions/by_name/?name=registered"), headers=account.headers)
    assert by_name.json()["id"] == created["id"]


async def test_patch_to_its_own_name_is_allowed(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")

    response = await client.patch(
        account.url(f"event_definitions/{created['id']}/"), json={"name": "signed up"}, headers=account.headers
    )

    assert response.status_code == 200
    assert response.json() == created


async def test_patch_rename_to_a_taken_name_is_refused(client, account: Account) -> None:
    await create_definition(client, account, "taken")
    created = await create_definition(client, account, "signed up")
    url = account.url(f"event_definitions/{created['id']}/")

    response = await client.patch(url, json={"name": "taken"}, headers=account.headers)

    assert response.status_code == 400
    assert response.json() == error(
        "validation_error", "unique", "An event definition with this name already exists in this project.", "name"
    )
    assert (await client.get(url, headers=account.headers)).json()["name"] == "signed up"


async def test_patch_with_form_data(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")

    response = await client.patch(
        account.url(f"event_definitions/{created['id']}/"), data={"enforcement_mode": "reject"}, headers=account.headers
    )

    assert response.status_code == 200
    assert response.json()["enforcement_mode"] == "reject"


async def test_put_replaces_the_fields_sent(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up", enforcement_mode="reject")
    url = account.url(f"event_definitions/{created['id']}/")

    response = await client.put(url, json={"name": "registered", "description": "new"}, headers=account.headers)

    assert response.status_code == 200
    assert response.json() == {**created, "name": "registered", "description": "new", "schema_version": 2}
    assert (await client.get(url, headers=account.headers)).json() == response.json()


async def test_put_requires_the_name(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")

    response = await client.put(
        account.url(f"event_definitions/{created['id']}/"), json={"enforcement_mode": "reject"}, headers=account.headers
    )

    assert response.status_code == 400
    assert response.json() == error("validation_error", "required", "This field is required.", "name")


async def test_put_refuses_a_taken_name(client, account: Account) -> None:
    await create_definition(client, account, "taken")
    created = await create_definition(client, account, "signed up")

    response = await client.put(
        account.url(f"event_definitions/{created['id']}/"), json={"name": "taken"}, headers=account.headers
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unique"
    assert response.json()["attr"] == "name"
