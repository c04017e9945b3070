"""Every example of the user's request (../shared/seed/event-schemas-api.txt), replayed against a real server.

The server is the real `eventschema serve` (SQLite with one worker; PostgreSQL with two), the key comes from
`eventschema bootstrap`, the curl examples run real curl with the document's flags, and the Python examples
are the document's `requests` calls with the placeholders filled in.
"""

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.app.servers import serving
from tests.cli.helpers import database_url, run_cli_sync
from tests.factories import EVENT_SCHEMA_KEYS, GROUP_KEYS, PROPERTY_KEYS, USER_BASIC_KEYS

pytestmark = pytest.mark.slow

__all__ = ["database_url"]


# The document's curl examples, joined onto one line each. `curl` gets `-sS -w` added (to read the status).
CURL_LIST = (
    'curl -H "Authorization: Bearer $POSTHOG_PERSONAL_API_KEY" <ph_app_host>/api/projects/:project_id/event_schemas/'
)
CURL_CREATE = (
    "curl -H 'Content-Type: application/json' -H \"Authorization: Bearer $POSTHOG_PERSONAL_API_KEY\" "
    '<ph_app_host>/api/projects/:project_id/event_schemas/ -d event_definition="string", -d property_group_id="string"'
)
CURL_UPDATE = (
    'curl -X PATCH -H "Authorization: Bearer $POSTHOG_PERSONAL_API_KEY" '
    '<ph_app_host>/api/projects/:project_id/event_schemas/:id/ -d event_definition="string"'
)
CURL_DELETE = (
    'curl -X DELETE -H "Authorization: Bearer $POSTHOG_PERSONAL_API_KEY" '
    "<ph_app_host>/api/projects/:project_id/event_schemas/:id/"
)


@dataclass
class Server:
    host: str
    project_id: int
    api_key: str
    email: str


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    bootstrap = run_cli_sync("bootstrap", "--json", database_url=database_url, cwd=tmp_path).json()
    workers = "1" if database_url.startswith("sqlite") else "2"
    with serving(database_url, tmp_path, "--workers", workers) as host:
        yield Server(host, bootstrap["project_id"], bootstrap["api_key"], bootstrap["email"])


def _curl(server: Server, command: str, **values: str) -> tuple[int, Any]:
    """Runs a document curl command through a shell (so its quoting is the document's), after filling it in."""
    command = command.replace("<ph_app_host>", server.host).replace(":project_id", str(server.project_id))
    if "id" in values:
        command = command.replace("/:id/", f"/{values['id']}/")
    for field in ("event_definition", "property_group_id"):
        if field in values:
            command = command.replace(f'{field}="string"', f'{field}="{values[field]}"')
    assert "string" not in command and ":id" not in command
    command = command.replace("curl ", "curl -sS -w '\\n%{http_code}' ", 1)
    env = {**os.environ, "POSTHOG_PERSONAL_API_KEY": server.api_key}
    completed = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=30, check=True)
    body, _, status = completed.stdout.rpartition("\n")
    return int(status), json.loads(body) if body else None


def _check_schema(schema: dict[str, Any], server: Server, event_definition: str, group_id: str) -> None:
    assert set(schema) == set(EVENT_SCHEMA_KEYS)
    assert schema["event_definition"] == event_definition
    group = schema["property_group"]
    assert set(group) == set(GROUP_KEYS)
    assert group["id"] == group_id
    assert group["name"] == "user"
    assert [prop["name"] for prop in group["properties"]] == ["plan", "seats"]
    for prop in group["properties"]:
        assert set(prop) == set(PROPERTY_KEYS)
    assert event_definition in [event["id"] for event in group["events"]]
    assert set(group["created_by"]) == set(USER_BASIC_KEYS)
    assert group["created_by"]["email"] == server.email
    for stamp in (schema["created_at"], schema["updated_at"], group["created_at"]):
        assert stamp.endswith("Z")


def _setup(server: Server) -> tuple[str, str, str]:
    """Two event definitions and a property group, made through the API."""
    headers = {"Authorization": f"Bearer {server.api_key}"}
    base = f"{server.host}/api/projects/{server.project_id}"
    ids = []
    for name in ("signed up", "purchased"):
        response = requests.post(f"{base}/event_definitions/", json={"name": name}, headers=headers, timeout=10)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    group = requests.post(
        f"{base}/schema_property_groups/",
        json={
            "name": "user",
            "properties": [
                {"name": "seats", "property_type": "Numeric", "is_required": True},
                {"name": "plan", "property_type": "String"},
            ],
        },
        headers=headers,
        timeout=10,
    )
    assert group.status_code == 201, group.text
    return ids[0], ids[1], group.json()["id"]


def _replay_curl(server: Server, signed_up: str, purchased: str, group_id: str) -> None:
    # As written, the create example labels its form-style data as JSON: PostHog answers 400 parse_error.
    status, body = _curl(server, CURL_CREATE, event_definition=signed_up, property_group_id=group_id)
    assert status == 400
    assert (body["type"], body["code"], body["attr"]) == ("invalid_request", "parse_error", None)

    # Without the wrong header it is a form; the shell keeps the document's stray trailing comma in the value...
    without_header = CURL_CREATE.replace("-H 'Content-Type: application/json' ", "")
    status, body = _curl(server, without_header, event_definition=signed_up, property_group_id=group_id)
    assert status == 400
    assert (body["type"], body["code"], body["attr"]) == ("validation_error", "invalid_input", "event_definition")

    # ...and without that comma it creates the link.
    fixed = without_header.replace('"string",', '"string"')
    status, created = _curl(server, fixed, event_definition=signed_up, property_group_id=group_id)
    assert status == 201
    _check_schema(created, server, signed_up, group_id)

    status, listed = _curl(server, CURL_LIST)
    assert status == 200
    assert (listed["count"], listed["next"], listed["previous"]) == (1, None, None)
    assert listed["results"] == [created]

    status, updated = _curl(server, CURL_UPDATE, id=created["id"], event_definition=purchased)
    assert status == 200
    _check_schema(updated, server, purchased, group_id)
    assert updated["id"] == created["id"]

    status, body = _curl(server, CURL_DELETE, id=created["id"])
    assert (status, body) == (204, None)
    status, listed = _curl(server, CURL_LIST)
    assert listed["count"] == 0


def _replay_python(server: Server, signed_up: str, purchased: str, group_id: str) -> None:
    ph_app_host = server.host
    api_key = server.api_key
    project_id = str(server.project_id)

    raw = requests.post(
        (ph_app_host + "/api/projects/{project_id}/event_schemas/").format(project_id=project_id),
        headers={"Authorization": "Bearer {}".format(api_key)},  # noqa: UP032 (as in the document)
        data={"event_definition": signed_up, "property_group_id": group_id},
    )
    response = raw.json()
    assert raw.status_code == 201
    _check_schema(response, server, signed_up, group_id)
    event_schema_id = response["id"]

    raw = requests.get(
        (ph_app_host + "/api/projects/{project_id}/event_schemas/").format(project_id=project_id),
        headers={"Authorization": "Bearer {}".format(api_key)},  # noqa: UP032 (as in the document)
    )
    response = raw.json()
    assert raw.status_code == 200
    assert set(response) == {"count", "next", "previous", "results"}
    assert response["count"] == 1
    _check_schema(response["results"][0], server, signed_up, group_id)

    raw = requests.patch(
        (ph_app_host + "/api/projects/{project_id}/event_schemas/{event_schema_id}/").format(
            project_id=project_id, event_schema_id=event_schema_id
        ),
        headers={"Authorization": "Bearer {}".format(api_key)},  # noqa: UP032 (as in the document)
        data={"event_definition": purchased},
    )
    response = raw.json()
    assert raw.status_code == 200
    _check_schema(response, server, purchased, group_id)
    assert response["id"] == event_schema_id

    response = requests.delete(
        (ph_app_host + "/api/projects/{project_id}/event_schemas/{event_schema_id}/").format(
            project_id=project_id, event_schema_id=event_schema_id
        ),
        headers={"Authorization": "Bearer {}".format(api_key)},  # noqa: UP032 (as in the document)
    )
    assert response.status_code == 204
    assert response.content == b""

    response = requests.get(
        (ph_app_host + "/api/projects/{project_id}/event_schemas/").format(project_id=project_id),
        headers={"Authorization": "Bearer {}".format(api_key)},  # noqa: UP032 (as in the document)
    ).json()
    assert response == {"count": 0, "next": None, "previous": None, "results": []}


def test_seed_examples(server: Server) -> None:
    signed_up, purchased, group_id = _setup(server)

    _replay_curl(server, signed_up, purchased, group_id)
    _replay_python(server, signed_up, purchased, group_id)
