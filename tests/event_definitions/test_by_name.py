"""GET event_definitions/by_name/?name=..."""

from tests.app.helpers import error, not_found
from tests.event_definitions.helpers import create_definition
from tests.factories import Account, make_account


async def test_found_by_exact_name(client, account: Account) -> None:
    created = await create_definition(client, account, "Signed Up & paid")
    await create_definition(client, account, "signed up")

    response = await client.get(
        account.url("event_definitions/by_name/"), params={"name": "Signed Up & paid"}, headers=account.headers
    )

    assert response.status_code == 200
    assert response.json() == created


async def test_without_trailing_slash(client, account: Account) -> None:
    created = await create_definition(client, account, "pageview")

    response = await client.get(account.url("event_definitions/by_name?name=pageview"), headers=account.headers)

    assert response.status_code == 200
    assert response.json() == created


async def test_unknown_name_is_404(client, account: Account) -> None:
    await create_definition(client, account, "pageview")

    response = await client.get(account.url("event_definitions/by_name/?name=PAGEVIEW"), headers=account.headers)

    assert response.status_code == 404
    assert response.json() == not_found()


async def test_missing_name_is_400(client, account: Account) -> None:
    response = await client.get(account.url("event_definitions/by_name/"), headers=account.headers)

    assert response.status_code == 400
    assert response.json() == error("validation_error", "required", "Query parameter 'name' is required", "name")


async def test_by_name_only_looks_in_the_url_project(client, db, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    await create_definition(client, account, "pageview")

    response = await client.get(second.url("event_definitions/by_name/?name=pageview"), headers=second.headers)

    assert response.status_code == 404
