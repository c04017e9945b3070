"""GET /api/projects/ and /api/projects/:id/: what a key may see, and the shape of a project."""

import uuid
from datetime import datetime

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, error, foreign_project, missing_scope, not_found
from tests.factories import Account, make_account, make_key

PROJECT_KEYS = {"id", "organization", "name", "api_token", "created_at", "observe_examples"}


def _check_shape(project: dict, project_id: int, name: str) -> None:
    assert set(project) == PROJECT_KEYS
    assert project["id"] == project_id
    assert project["name"] == name
    assert uuid.UUID(project["organization"])
    assert project["api_token"].startswith("phc_")
    assert len(project["api_token"]) == 47
    assert project["created_at"].endswith("Z")
    assert datetime.fromisoformat(project["created_at"]).tzinfo is not None


async def test_retrieve_project(client, account: Account) -> None:
    response = await client.get(f"/api/projects/{account.project_id}/", headers=account.headers)

    assert response.status_code == 200
    _check_shape(response.json(), account.project_id, "Project")


async def test_current_project(client, account: Account) -> None:
    by_id = await client.get(f"/api/projects/{account.project_id}/", headers=account.headers)

    response = await client.get("/api/projects/@current/", headers=account.headers)

    assert response.status_code == 200
    assert response.json() == by_id.json()


async def test_list_projects(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")

    response = await client.get("/api/projects/", headers=account.headers)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [item["id"] for item in body["results"]] == [account.project_id, second.project_id]
    _check_shape(body["results"][0], account.project_id, "Project")
    _check_shape(body["results"][1], second.project_id, "Second")
    assert body["results"][0]["organization"] == body["results"][1]["organization"]
    assert body["results"][0]["api_token"] != body["results"][1]["api_token"]
    single = await client.get(f"/api/projects/{second.project_id}/", headers=account.headers)
    assert single.json() == body["results"][1]


async def test_list_paginates(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")

    response = await client.get("/api/projects/?limit=1", headers=account.headers)

    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [account.project_id]
    assert body["next"] == "http://testserver/api/projects/?limit=1&offset=1"
    following = await client.get(body["next"], headers=account.headers)
    assert [item["id"] for item in following.json()["results"]] == [second.project_id]
    assert following.json()["previous"] == "http://testserver/api/projects/?limit=1"


async def test_projects_of_other_organizations_are_hidden(client, db: Database, account: Account) -> None:
    foreign = await foreign_project(db)

    listed = await client.get("/api/projects/", headers=account.headers)
    single = await client.get(f"/api/projects/{foreign}/", headers=account.headers)

    assert [item["id"] for item in listed.json()["results"]] == [account.project_id]
    assert listed.json()["count"] == 1
    assert single.status_code == 403
    assert single.json() == error("authentication_error", "permission_denied", "You don't have access to the project.")


async def test_a_key_limited_to_some_projects_sees_only_those(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    third = await make_account(db, email=account.email, project="Third")
    key = await make_key(db, account.email, ["project:read"], projects=[second.project_id, third.project_id])
    headers = {"Authorization": f"Bearer {key}"}

    listed = await client.get("/api/projects/", headers=headers)
    allowed = await client.get(f"/api/projects/{third.project_id}/", headers=headers)
    refused = await client.get(f"/api/projects/{account.project_id}/", headers=headers)

    assert [item["id"] for item in listed.json()["results"]] == [second.project_id, third.project_id]
    assert listed.json()["count"] == 2
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.json() == error(
        "authentication_error",
        "permission_denied",
        f"API key does not have access to the requested project: ID {account.project_id}.",
    )


async def test_unknown_or_malformed_project_is_404(client, account: Account) -> None:
    for project in (str(account.project_id + 1000), "abc", "0", "-1", "1e3", "2147483648", "@me"):
        response = await client.get(f"/api/projects/{project}/", headers=account.headers)
        assert response.status_code == 404, project
        assert response.json() == not_found("Project not found."), project


async def test_project_read_scope_is_required(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["event_definition:read", "event_definition:write"])
    headers = {"Authorization": f"Bearer {key}"}

    for url in ("/api/projects/", f"/api/projects/{account.project_id}/", "/api/projects/@current/"):
        response = await client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.json() == missing_scope("project:read"), url


async def test_project_read_scope_is_enough(client, db: Database, account: Account) -> None:
    key = await make_key(db, account.email, ["project:read"])
    headers = {"Authorization": f"Bearer {key}"}

    for url in ("/api/projects/", f"/api/projects/{account.project_id}/", "/api/projects/@current/"):
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, url


async def test_no_credentials_is_401(client, account: Account) -> None:
    for url in ("/api/projects/", f"/api/projects/{account.project_id}/", "/api/projects/@current/"):
        response = await client.get(url)
        assert response.status_code == 401, url
        assert response.json() == NOT_AUTHENTICATED, url


async def test_projects_cannot_be_created_or_deleted(client, account: Account) -> None:
    for method, url in (
        ("POST", "/api/projects/"),
        ("DELETE", f"/api/projects/{account.project_id}/"),
    ):
        response = await client.request(method, url, json={"name": "x"}, headers=account.headers)
        assert response.status_code == 405, (method, url)
        assert response.json() == error("invalid_request", "method_not_allowed", f'Method "{method}" not allowed.')
