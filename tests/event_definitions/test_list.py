"""GET event_definitions/: ordering, ?search=, pagination and a constant statement count."""

from tests.event_definitions.helpers import DEFINITION_KEYS, create_definition, names
from tests.factories import Account


async def test_empty_list(client, account: Account) -> None:
    response = await client.get(account.url("event_definitions/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


async def test_lists_definitions_sorted_by_name(client, account: Account) -> None:
    created = await create_definition(client, account, "signup", description="a user signed up")
    await create_definition(client, account, "checkout")
    await create_definition(client, account, "pageview", enforcement_mode="reject")

    response = await client.get(account.url("event_definitions/"), headers=account.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert (body["next"], body["previous"]) == (None, None)
    assert [item["name"] for item in body["results"]] == ["checkout", "pageview", "signup"]
    assert [item["enforcement_mode"] for item in body["results"]] == ["allow", "reject", "allow"]
    assert body["results"][2] == created
    assert set(body["results"][0]) == DEFINITION_KEYS


async def test_search_is_a_case_insensitive_substring_of_the_name(client, account: Account) -> None:
    for name in ("User Signed Up", "signup_started", "pageview", "UPSELL shown"):
        await create_definition(client, account, name)

    # Only the members are compared: how upper and lower case sort depends on the database's collation.
    assert set(await names(client, account, "?search=SIGN")) == {"signup_started", "User Signed Up"}
    assert set(await names(client, account, "?search=up")) == {"signup_started", "UPSELL shown", "User Signed Up"}
    assert await names(client, account, "?search=nothing") == []
    assert len(await names(client, account, "?search=")) == 4


async def test_search_treats_like_wildcards_literally(client, account: Account) -> None:
    for name in ("100% done", "1000 done", "a_b", "axb", "back\\slash"):
        await create_definition(client, account, name)

    for search, expected in [
        ("%", ["100% done"]),
        ("0%", ["100% done"]),
        ("a_b", ["a_b"]),
        ("_", ["a_b"]),
        ("\\", ["back\\slash"]),
    ]:
        response = await client.get(
            account.url("event_definitions/"), params={"search": search}, headers=account.headers
        )
        assert response.status_code == 200
        assert [item["name"] for item in response.json()["results"]] == expected, search


async def test_paginates_with_absolute_links_keeping_the_search(client, account: Account) -> None:
    for name in ("e1", "e2", "e3", "xyz"):
        await create_definition(client, account, name)
    base = f"http://testserver{account.url('event_definitions/')}"

    first = await client.get(account.url("event_definitions/?search=e&limit=2"), headers=account.headers)
    second = await client.get(first.json()["next"], headers=account.headers)

    assert first.json()["count"] == 3
    assert [item["name"] for item in first.json()["results"]] == ["e1", "e2"]
    assert first.json()["next"] == f"{base}?limit=2&offset=2&search=e"
    assert first.json()["previous"] is None
    assert [item["name"] for item in second.json()["results"]] == ["e3"]
    assert second.json()["next"] is None
    assert second.json()["previous"] == f"{base}?limit=2&search=e"


async def test_list_issues_the_same_number_of_statements_for_one_or_many(
    client, account: Account, count_statements
) -> None:
    await create_definition(client, account, "first")
    await client.get(account.url("event_definitions/"), headers=account.headers)  # sets last_used_at once

    with count_statements:
        await client.get(account.url("event_definitions/"), headers=account.headers)
    one = count_statements.count
    for index in range(20):
        await create_definition(client, account, f"event {index:02d}")
    # Writes empty the server's remembered keys: warm it again, as before the first count.
    await client.get(account.url("event_definitions/"), headers=account.headers)
    count_statements.statements.clear()
    with count_statements:
        response = await client.get(account.url("event_definitions/"), headers=account.headers)

    assert response.json()["count"] == 21
    assert count_statements.count == one


async def test_search_ignores_the_case_of_non_ascii_letters(client, account: Account) -> None:
    for name in ("Événement créé", "ÜBER click", "pageview"):
        await create_definition(client, account, name)

    assert await names(client, account, "?search=événement") == ["Événement créé"]
    assert await names(client, account, "?search=CRÉÉ") == ["Événement créé"]
    assert await names(client, account, "?search=über") == ["ÜBER click"]
