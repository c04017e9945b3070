"""PATCH /api/projects/:id/ {"observe_examples": false}: the project setting that keeps observed examples off."""

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, foreign_project, missing_scope, not_found
from tests.factories import Account, make_key


async def test_observe_examples_is_on_by_default_and_can_be_turned_off(client, account: Account) -> None:
    url = f"/api/projects/{account.project_id}/"
    assert (await client.get(url, headers=account.headers)).json()["observe_examples"] is True

    response = await client.patch(url, json={"observe_examples": False}, headers=account.headers)

    assert response.status_code == 200
    assert response.json()["observe_examples"] is False
    assert response.json()["name"] == "Project"
    assert (await client.get(url, headers=account.headers)).json()["observe_examples"] is False
    listed = (await client.get("/api/projects/", headers=account.headers)).json()["results"]
    assert listed[0]["observe_examples"] is False
    rotated = await client.post(f"{url}rotate_token/", headers=account.headers)
    assert rotated.json()["observe_examples"] is False


async def test_an_empty_patch_changes_nothing(client, account: Account) -> None:
    response = await client.patch(f"/api/projects/{account.project_id}/", json={}, headers=account.headers)

    assert response.status_code == 200
    assert response.json()["observe_examples"] is True


async def test_invalid_values_are_400(client, account: Account) -> None:
    for body in ({"observe_examples": "perhaps"}, {"observe_examples": None}):
        response = await client.patch(f"/api/projects/{account.project_id}/", json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.json()["attr"] == "observe_examples", body


async def test_patch_needs_a_key_the_write_scope_and_a_visible_project(client, db: Database, account: Account) -> None:
    url = f"/api/projects/{account.project_id}/"
    body = {"observe_examples": False}
    assert (await client.patch(url, json=body)).json() == NOT_AUTHENTICATED
    reader = await make_key(db, account.email, ["project:read"])
    response = await client.patch(url, json=body, headers={"Authorization": f"Bearer {reader}"})
    assert (response.status_code, response.json()) == (403, missing_scope("project:write"))
    other = await foreign_project(db)
    response = await client.patch(f"/api/projects/{other}/", json=body, headers=account.headers)
    assert response.status_code == 403
    response = await client.patch(f"/api/projects/{account.project_id + 1000}/", json=body, headers=account.headers)
    assert (response.status_code, response.json()) == (404, not_found("Project not found."))
