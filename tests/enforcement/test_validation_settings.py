"""GET/PATCH /api/projects/:project_id/validation_settings/: the project's validation mode (posthog or strict)."""

import pytest

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, missing_scope, not_found
from tests.enforcement.helpers import api
from tests.factories import Account, make_key


async def test_default_and_update(client, account: Account) -> None:
    initial = await api(client, account, "GET", "validation_settings/")

    updated = await api(client, account, "PATCH", "validation_settings/", json={"validation_mode": "strict"})
    unchanged = await api(client, account, "PATCH", "validation_settings/", json={})

    assert initial["validation_mode"] == "posthog"
    assert updated["validation_mode"] == "strict"
    assert updated["schema_version"] > initial["schema_version"]
    assert unchanged == updated
    assert await api(client, account, "GET", "validation_settings/") == updated


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"validation_mode": "lenient"},
            error("validation_error", "invalid_choice", '"lenient" is not a valid choice.', "validation_mode"),
        ),
        (
            {"validation_mode": None},
            error("validation_error", "null", "This field may not be null.", "validation_mode"),
        ),
    ],
)
async def test_bad_values_are_400(client, account: Account, body, expected) -> None:
    response = await client.patch(account.url("validation_settings/"), json=body, headers=account.headers)

    assert (response.status_code, response.json()) == (400, expected)


async def test_access(client, db: Database, account: Account) -> None:
    reader = await make_key(db, account.email, ["project:read"])
    url = account.url("validation_settings/")
    headers = {"Authorization": f"Bearer {reader}"}

    read = await client.get(url, headers=headers)
    write = await client.patch(url, json={"validation_mode": "strict"}, headers=headers)
    anonymous = await client.get(url)
    unknown = await client.get("/api/projects/999999/validation_settings/", headers=account.headers)

    assert read.status_code == 200
    assert (write.status_code, write.json()) == (403, missing_scope("project:write"))
    assert (anonymous.status_code, anonymous.json()) == (401, NOT_AUTHENTICATED)
    assert (unknown.status_code, unknown.json()) == (404, not_found("Project not found."))
