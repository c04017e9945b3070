"""Every body PostHog's SDKs send: JSON, gzip (header or ?compression=gzip-js), base64 form data; one event, a
list, or a batch; the project API key as api_key, token, or in the first event's properties."""

import base64
import gzip
from urllib.parse import urlencode

import orjson
import pytest

from eventschema.capture.router import CAPTURE_PATHS
from tests.enforcement.helpers import event, logged, project_token
from tests.factories import Account


async def _post(client, path: str, content: bytes, **headers: str):
    response = await client.post(path, content=content, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": 1}


@pytest.mark.parametrize("path", CAPTURE_PATHS)
async def test_one_event_on_every_path(client, account: Account, path: str) -> None:
    token = await project_token(client, account)

    await _post(client, path, orjson.dumps({"api_key": token, **event("clicked", n=1)}))
    await _post(client, path.rstrip("/"), orjson.dumps({"api_key": token, **event("clicked", n=2)}))

    assert [item["properties"] for item in await logged(client, account)] == [{"n": 2}, {"n": 1}]


async def test_batch_list_and_token_placements(client, account: Account) -> None:
    token = await project_token(client, account)

    await _post(client, "/batch/", orjson.dumps({"token": token, "batch": [event("a")]}))
    await _post(client, "/e/", orjson.dumps([{**event("b"), "api_key": token}, event("c")]))
    await _post(client, "/e/", orjson.dumps([{"event": "d", "distinct_id": "u", "properties": {"token": token}}]))
    await _post(client, "/capture/", orjson.dumps({**event("e"), "token": token}))

    assert sorted(item["event"] for item in await logged(client, account)) == ["a", "b", "c", "d", "e"]


async def test_gzip_by_header_and_by_query(client, account: Account) -> None:
    token = await project_token(client, account)
    body = gzip.compress(orjson.dumps({"api_key": token, "batch": [event("zipped")]}))

    await _post(client, "/batch/", body, **{"Content-Encoding": "gzip", "Content-Type": "application/json"})
    await _post(client, "/e/?compression=gzip-js", body, **{"Content-Type": "text/plain"})
    await _post(client, "/i/v0/e/", body)  # recognised by its magic bytes

    assert [item["event"] for item in await logged(client, account)] == ["zipped"] * 3


async def test_a_gzip_body_of_several_members_is_read_whole(client, account: Account) -> None:
    """RFC 1952 allows members one after another; each holds part of the body (here, a batch split mid-event)."""
    body = orjson.dumps({"api_key": await project_token(client, account), "batch": [event("first"), event("second")]})
    middle = body.index(b'"second"')
    members = gzip.compress(body[:middle]) + gzip.compress(body[middle:])

    await _post(client, "/batch/", members, **{"Content-Encoding": "gzip", "Content-Type": "application/json"})

    assert sorted(item["event"] for item in await logged(client, account)) == ["first", "second"]


async def test_base64_form_data(client, account: Account) -> None:
    token = await project_token(client, account)
    plain = base64.b64encode(orjson.dumps([{**event("formed", n=1), "api_key": token}])).decode()
    zipped = base64.b64encode(gzip.compress(orjson.dumps({"api_key": token, "batch": [event("formed", n=2)]})))
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    await _post(client, "/e/", urlencode({"data": plain}).encode(), **form)
    await _post(client, "/e/", urlencode({"data": zipped.decode(), "compression": "gzip-js"}).encode(), **form)
    await _post(client, "/track/", f"data={plain.rstrip('=')}".encode())

    assert [item["properties"] for item in await logged(client, account)] == [{"n": 1}, {"n": 2}, {"n": 1}]


async def test_properties_are_kept_as_received(client, account: Account) -> None:
    token = await project_token(client, account)
    properties = {"$current_url": "https://x", "nested": {"a": [1, 2.5, None]}, "flag": True, "ü": "é"}

    await _post(client, "/batch/", orjson.dumps({"api_key": token, "batch": [event("clicked", **properties)]}))

    [stored] = await logged(client, account)
    assert stored["properties"] == properties


async def test_timestamps(client, account: Account) -> None:
    token = await project_token(client, account)
    batch = [
        {**event("a"), "timestamp": "2024-05-01T10:00:00.123Z"},
        {**event("b"), "timestamp": "2024-05-01T12:00:00+02:00"},
        {**event("c"), "timestamp": "2024-05-01 10:00:00"},
        {**event("d"), "timestamp": "yesterday"},
    ]

    await _post(client, "/batch/", orjson.dumps({"api_key": token, "batch": batch}))

    by_name = {item["event"]: item for item in await logged(client, account)}
    assert by_name["a"]["timestamp"] == "2024-05-01T10:00:00.123000Z"
    assert by_name["b"]["timestamp"] == "2024-05-01T10:00:00Z"
    assert by_name["c"]["timestamp"] == "2024-05-01T10:00:00Z"
    assert by_name["d"]["timestamp"] == by_name["d"]["received_at"]


async def test_numeric_distinct_ids_and_long_ones(client, account: Account) -> None:
    token = await project_token(client, account)
    batch = [event("a", distinct_id=42), event("b", distinct_id="x" * 300)]  # type: ignore[arg-type]

    await _post(client, "/batch/", orjson.dumps({"api_key": token, "batch": batch}))

    by_name = {item["event"]: item["distinct_id"] for item in await logged(client, account)}
    assert by_name == {"a": "42", "b": "x" * 200}
