"""Every API representation has an ETag; If-None-Match gets a 304 with no body while it is current."""

import pytest

from eventschema.http.etag import entity_tag, matches
from tests.factories import Account


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"abd"', False),
        ("", False),
        ("abc", False),
    ],
)
def test_if_none_match_uses_weak_comparison(header: str, expected: bool) -> None:
    assert matches(header, '"abc"') is expected


def test_the_tag_changes_with_the_bytes() -> None:
    assert entity_tag(b"a") == entity_tag(b"a")
    assert entity_tag(b"a") != entity_tag(b"b")


async def test_a_current_tag_gets_304_without_a_body(client, account: Account) -> None:
    await client.post(account.url("schema_property_groups"), json={"name": "g"}, headers=account.headers)
    first = await client.get(account.url("schema_property_groups"), headers=account.headers)
    tag = first.headers["etag"]

    again = await client.get(account.url("schema_property_groups"), headers={**account.headers, "If-None-Match": tag})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert "content-length" not in again.headers or again.headers["content-length"] == "0"


async def test_a_write_makes_the_old_tag_stale(client, account: Account) -> None:
    created = await client.post(account.url("schema_property_groups"), json={"name": "g"}, headers=account.headers)
    url = account.url(f"schema_property_groups/{created.json()['id']}")
    tag = (await client.get(url, headers=account.headers)).headers["etag"]

    await client.patch(url, json={"description": "changed"}, headers=account.headers)
    after = await client.get(url, headers={**account.headers, "If-None-Match": tag})

    assert after.status_code == 200
    assert after.json()["description"] == "changed"
    assert after.headers["etag"] != tag


async def test_a_tag_is_no_key(client, account: Account) -> None:
    """Authentication runs before the tag is compared: a stranger holding a tag learns nothing."""
    url = account.url("event_definitions")
    tag = (await client.get(url, headers=account.headers)).headers["etag"]

    response = await client.get(url, headers={"If-None-Match": tag})

    assert response.status_code == 401
    assert "etag" not in response.headers


async def test_errors_and_writes_have_no_tag(client, account: Account) -> None:
    missing = await client.get(
        account.url("schema_property_groups/0190c1b2-0000-7000-8000-000000000000"), headers=account.headers
    )
    created = await client.post(account.url("event_definitions"), json={"name": "e"}, headers=account.headers)

    assert missing.status_code == 404
    assert "etag" not in missing.headers
    assert created.status_code == 201
    assert "etag" not in created.headers


async def test_every_get_route_is_documented_with_its_304(client) -> None:
    document = (await client.get("/api/schema/")).json()
    gets = [
        (path, item["get"]) for path, item in document["paths"].items() if path.startswith("/api/") and "get" in item
    ]

    assert gets
    for path, operation in gets:
        assert "304" in operation["responses"], path
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), path
