"""Request bodies: JSON, form and multipart are accepted; anything else is refused in PostHog's shape."""

from tests.app.helpers import error
from tests.factories import Account


async def test_malformed_json_is_a_parse_error(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"),
        content=b'{"name": ',
        headers={**account.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"type", "code", "detail", "attr"}
    assert (body["type"], body["code"], body["attr"]) == ("invalid_request", "parse_error", None)
    assert body["detail"].startswith("JSON parse error - ")


async def test_malformed_json_without_credentials_is_still_refused(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), content=b"{oops", headers={"Content-Type": "application/json"}
    )

    # As in PostHog, finding the key means reading the body, and reading it fails first.
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


async def test_an_unsupported_content_type_is_415(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"),
        content=b"name=x",
        headers={**account.headers, "Content-Type": "text/plain"},
    )

    assert response.status_code == 415
    assert response.json() == error(
        "invalid_request", "unsupported_media_type", 'Unsupported media type "text/plain" in request.'
    )


async def test_a_json_array_is_refused(client, account: Account) -> None:
    response = await client.post(account.url("event_definitions/"), json=[{"name": "x"}], headers=account.headers)

    assert response.status_code == 400
    assert response.json() == error(
        "validation_error", "invalid_input", "Invalid data. Expected a dictionary, but got list."
    )


async def test_a_json_scalar_is_refused(client, account: Account) -> None:
    response = await client.post(account.url("event_definitions/"), json="name", headers=account.headers)

    assert response.status_code == 400
    assert response.json() == error(
        "validation_error", "invalid_input", "Invalid data. Expected a dictionary, but got str."
    )


async def test_json_with_a_charset_and_json_suffix_types(client, account: Account) -> None:
    for index, content_type in enumerate(
        ("application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON")
    ):
        response = await client.post(
            account.url("event_definitions/"),
            content=f'{{"name": "e{index}"}}'.encode(),
            headers={**account.headers, "Content-Type": content_type},
        )
        assert response.status_code == 201, content_type
        assert response.json()["name"] == f"e{index}"


async def test_json_without_a_content_type(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), content=b'{"name": "bare"}', headers=account.headers
    )

    assert response.status_code == 201
    assert response.json()["name"] == "bare"


async def test_an_empty_body_is_an_empty_object(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), content=b"", headers={**account.headers, "Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == error("validation_error", "required", "This field is required.", "name")


async def test_form_and_multipart_bodies(client, account: Account) -> None:
    form = await client.post(account.url("event_definitions/"), data={"name": "form"}, headers=account.headers)
    multipart = await client.post(
        account.url("event_definitions/"),
        data={"name": "multipart", "enforcement_mode": "reject"},
        files={"attachment": ("a.txt", b"ignored", "text/plain")},
        headers=account.headers,
    )

    assert form.status_code == 201
    assert form.json()["name"] == "form"
    assert multipart.status_code == 201
    assert (multipart.json()["name"], multipart.json()["enforcement_mode"]) == ("multipart", "reject")


async def test_malformed_multipart_is_a_parse_error(client, account: Account) -> None:
    for content_type, content, reason in (
        ("multipart/form-data", b"name=x", "Missing boundary in multipart."),
        ("multipart/form-data; boundary=abc", b"garbage", "Invalid multipart data."),
    ):
        response = await client.post(
            account.url("event_definitions/"),
            content=content,
            headers={**account.headers, "Content-Type": content_type},
        )
        assert response.status_code == 400, content_type
        assert response.json() == error("invalid_request", "parse_error", f"Multipart form parse error - {reason}")


async def test_malformed_multipart_with_the_key_in_the_body(client, account: Account) -> None:
    response = await client.post(
        account.url("event_definitions/"), content=b"x", headers={"Content-Type": "multipart/form-data"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
