"""/api/projects/:id/alert_webhooks/: list, create, delete, and what they answer without the right key."""

import uuid

from eventschema.db import Database
from tests.app.helpers import NOT_AUTHENTICATED, foreign_project, missing_scope, not_found
from tests.factories import Account, make_key

HOOK = {"url": "https://hooks.example.com/T000/B000", "threshold": 100, "event": "signed up"}


async def test_create_list_and_delete(client, account: Account) -> None:
    response = await client.post(account.url("alert_webhooks/"), json=HOOK, headers=account.headers)
    assert response.status_code == 201
    created = response.json()
    assert {key: created[key] for key in HOOK} == HOOK
    assert uuid.UUID(created["id"]) and created["created_at"].endswith("Z")
    every_event = {"url": "http://127.0.0.1:9/hook", "threshold": 1}
    response = await client.post(account.url("alert_webhooks/"), json=every_event, headers=account.headers)
    assert response.json()["event"] is None

    page = (await client.get(account.url("alert_webhooks/"), headers=account.headers)).json()
    assert page["count"] == 2
    assert page["results"][0]["id"] == created["id"]

    response = await client.delete(account.url(f"alert_webhooks/{created['id']}/"), headers=account.headers)
    assert response.status_code == 204
    response = await client.delete(account.url(f"alert_webhooks/{created['id']}/"), headers=account.headers)
    assert (response.status_code, response.json()) == (404, not_found())
    assert (await client.get(account.url("alert_webhooks/"), headers=account.headers)).json()["count"] == 1


async def test_invalid_webhooks_are_400(client, account: Account) -> None:
    for body, attr in (
        ({**HOOK, "url": "ftp://example.com"}, "url"),
        ({**HOOK, "url": "https://exa mple.com"}, "url"),
        ({"threshold": 1}, "url"),
        ({**HOOK, "threshold": 0}, "threshold"),
        ({**HOOK, "threshold": "many"}, "threshold"),
        ({"url": HOOK["url"]}, "threshold"),
        ({**HOOK, "event": ""}, "event"),
    ):
        response = await client.post(account.url("alert_webhooks/"), json=body, headers=account.headers)
        assert response.status_code == 400, body
        assert response.json()["attr"] == attr, body


async def test_routes_need_a_key_the_project_scope_and_a_visible_project(
    client, db: Database, account: Account
) -> None:
    hook_id = (await client.post(account.url("alert_webhooks/"), json=HOOK, headers=account.headers)).json()["id"]
    reader = {"Authorization": f"Bearer {await make_key(db, account.email, ['project:read'])}"}
    outsider = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:write'])}"}
    other = await foreign_project(db)
    for method, path, body, scope in (
        ("GET", "alert_webhooks/", None, "project:read"),
        ("POST", "alert_webhooks/", HOOK, "project:write"),
        ("DELETE", f"alert_webhooks/{hook_id}/", None, "project:write"),
    ):
        response = await client.request(method, account.url(path), json=body)
        assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED), path
        response = await client.request(method, account.url(path), json=body, headers=outsider)
        assert (response.status_code, response.json()) == (403, missing_scope(scope)), path
        response = await client.request(method, f"/api/projects/{other}/{path}", json=body, headers=account.headers)
        assert response.status_code == 403, path
        missing = f"/api/projects/{account.project_id + 99}/{path}"
        response = await client.request(method, missing, json=body, headers=account.headers)
        assert (response.status_code, response.json()) == (404, not_found("Project not found.")), path
    response = await client.post(account.url("alert_webhooks/"), json=HOOK, headers=reader)
    assert response.status_code == 403
    assert (await client.get(account.url("alert_webhooks/"), headers=reader)).status_code == 200


async def test_webhooks_of_other_projects_cannot_be_deleted(client, db: Database, account: Account) -> None:
    response = await client.delete(account.url(f"alert_webhooks/{uuid.uuid4()}/"), headers=account.headers)
    assert (response.status_code, response.json()) == (404, not_found())
    response = await client.delete(account.url("alert_webhooks/not-a-uuid/"), headers=account.headers)
    assert response.status_code == 404
