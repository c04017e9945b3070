"""Where a personal API key is read from, and what an invalid or missing one gets."""

from tests.app.helpers import NOT_AUTHENTICATED, error
from tests.factories import Account


def _invalid(source: str) -> dict:
    return error(
        "authentication_error", "authentication_failed", f"Personal API key found in request {source} is invalid."
    )


async def test_key_in_the_authorization_header(client, account: Account) -> None:
    for scheme in ("Bearer", "bearer", "BEARER"):
        response = await client.get(
            account.url("event_definitions/"), headers={"Authorization": f"{scheme} {account.api_key}"}
        )
        assert response.status_code == 200, scheme


async def test_key_in_a_json_body(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), json={"name": "from json", "personal_api_key": account.api_key}
    )

    assert response.status_code == 201
    assert response.json()["name"] == "from json"


async def test_key_in_a_form_body(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), data={"name": "from a form", "personal_api_key": account.api_key}
    )

    assert response.status_code == 201
    assert response.json()["name"] == "from a form"


async def test_key_in_a_multipart_body(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"),
        data={"name": "multipart", "personal_api_key": account.api_key},
        files={"unused": ("a.txt", b"x", "text/plain")},
    )

    assert response.status_code == 201
    assert response.json()["name"] == "multipart"


async def test_key_in_the_query_string(client, account: Account) -> None:
    get = await client.get(account.url("event_definitions/"), params={"personal_api_key": account.api_key})
    post = await client.post(
        account.url("event_definitions/"), params={"personal_api_key": account.api_key}, json={"name": "q"}
    )

    assert get.status_code == 200
    assert post.status_code == 201


async def test_key_in_the_query_string_is_not_a_filter(client, account: Account) -> None:
    await client.post(account.url("event_definitions/"), json={"name": "e1"}, headers=account.headers)

    response = await client.get(account.url("event_definitions/"), params={"personal_api_key": account.api_key})

    assert response.json()["count"] == 1


async def test_an_invalid_key_names_where_it_was_found(client, account: Account) -> None:
    for kwargs, source in [
        ({"headers": {"Authorization": "Bearer phx_wrong"}}, "Authorization header"),
        ({"json": {"name": "x", "personal_api_key": "phx_wrong"}}, "body"),
        ({"data": {"name": "x", "personal_api_key": "phx_wrong"}}, "body"),
        ({"params": {"personal_api_key": "phx_wrong"}, "json": {"name": "x"}}, "query string"),
    ]:
        response = await client.post(account.url("event_definitions/"), **kwargs)
        assert response.status_code == 401, kwargs
        assert response.json() == _invalid(source), kwargs
        assert response.headers["www-authenticate"] == "Bearer", kwargs
    get = await client.get(account.url("event_definitions/"), params={"personal_api_key": "phx_wrong"})
    assert get.json() == _invalid("query string")


async def test_the_header_wins_over_the_body_and_the_query_string(client, account: Account) -> None:
    header_wrong = await client.post(
        account.url("event_definitions/"),
        params={"personal_api_key": account.api_key},
        json={"name": "x", "personal_api_key": account.api_key},
        headers={"Authorization": "Bearer phx_wrong"},
    )
    body_wrong = await client.post(
        account.url("event_definitions/"),
        params={"personal_api_key": account.api_key},
        json={"name": "x", "personal_api_key": "phx_wrong"},
    )

    assert header_wrong.json() == _invalid("Authorization header")
    assert body_wrong.json() == _invalid("body")


async def test_no_credentials(client, account: Account) -> None:
    for method, kwargs in (("GET", {}), ("POST", {"json": {"name": "x"}}), ("POST", {"data": {"name": "x"}})):
        response = await client.request(method, account.url("event_definitions/"), **kwargs)
        assert response.status_code == 401
        assert response.json() == NOT_AUTHENTICATED
        assert response.headers["www-authenticate"] == "Bearer"


async def test_a_malformed_authorization_header_says_what_is_wrong(client, account: Account) -> None:
    expected = error(
        "authentication_error", "authentication_failed", "Authorization header must be 'Bearer <personal API key>'."
    )
    for authorization in ("Bearer", "Bearer ", "Basic abc", "Token phx_x", "phx_x", account.api_key):
        for method in ("GET", "POST"):
            response = await client.request(
                method, account.url("event_definitions/"), headers={"Authorization": authorization}
            )
            assert (authorization, method, response.status_code) == (authorization, method, 401)
            assert response.json() == expected, authorization
            assert response.headers["www-authenticate"] == "Bearer", authorization


async def test_a_malformed_header_leaves_the_body_and_query_keys_their_turn(client, account: Account) -> None:
    """The key's sources keep PostHog's order; the header's error is reported only when no source has a key."""
    headers = {"Authorization": account.api_key}
    body = await client.post(
        account.url("event_definitions/"), json={"name": "b", "personal_api_key": account.api_key}, headers=headers
    )
    query = await client.get(
        account.url("event_definitions/"), params={"personal_api_key": account.api_key}, headers=headers
    )

    assert (body.status_code, query.status_code) == (201, 200)


async def test_a_key_in_a_get_body_is_ignored(client, account: Account) -> None:
    response = await client.request(
        "GET", account.url("event_definitions/"), json={"personal_api_key": account.api_key}
    )

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
