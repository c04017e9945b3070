"""GET /api/projects/:project_id/event_schemas/violations/: violations per event, property and reason seen by
the gateway (warned and rejected events) over the last 24 hours, most frequent first."""

from datetime import timedelta

from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.models import ViolationCount, utcnow
from tests.app.helpers import NOT_AUTHENTICATED, missing_scope, not_found
from tests.enforcement.helpers import api, captured_ok, define, event, project_token
from tests.factories import Account, make_account, make_key


async def _counts(client, account: Account, query: str = "") -> dict:
    return await api(client, account, "GET", f"event_schemas/violations/{query}")  # type: ignore[no-any-return]


async def test_counts_of_warned_and_rejected_events(client, account: Account) -> None:
    await define(client, account, "rejected", mode="reject")
    await define(client, account, "warned", mode="warn")
    await define(client, account, "allowed", mode="allow")
    token = await project_token(client, account)

    await captured_ok(
        client,
        token,
        [
            event("rejected", plan="p"),
            event("rejected", plan="p", seats="x"),
            event("rejected", seats="x"),
            event("warned", plan="p"),
            event("allowed"),
            event("rejected", plan="p", seats=1),
        ],
    )
    await captured_ok(client, token, [event("rejected", plan="p")])

    body = await _counts(client, account)
    assert (body["count"], body["next"], body["previous"]) == (4, None, None)
    assert body["results"] == [
        {"event": "rejected", "property": "seats", "reason": "missing_required", "count": 2},
        {"event": "rejected", "property": "seats", "reason": "type_mismatch", "count": 2},
        {"event": "rejected", "property": "plan", "reason": "missing_required", "count": 1},
        {"event": "warned", "property": "seats", "reason": "missing_required", "count": 1},
    ]
    filtered = await _counts(client, account, "?event=rejected&limit=1")
    assert filtered["count"] == 3
    assert filtered["results"] == body["results"][:1]
    assert filtered["next"].endswith("?event=rejected&limit=1&offset=1")
    beyond = await _counts(client, account, "?offset=10")
    assert (beyond["count"], beyond["results"]) == (4, [])


async def test_only_the_last_24_hours_count(client, db: Database, account: Account) -> None:
    hour = current_hour(utcnow())
    async with db.session(write=True) as session:
        for age, count in ((0, 1), (23, 10), (24, 100), (200, 1000)):
            session.add(
                ViolationCount(
                    project_id=account.project_id,
                    hour=hour - timedelta(hours=age),
                    event="e",
                    property="p",
                    reason="type_mismatch",
                    count=count,
                )
            )
        await session.commit()

    body = await _counts(client, account)

    assert body["results"] == [{"event": "e", "property": "p", "reason": "type_mismatch", "count": 11}]


async def test_access(client, db: Database, account: Account) -> None:
    second = await make_account(db, email=account.email, project="Second")
    write_only_projects = await make_key(db, account.email, ["project:write"])
    url = account.url("event_schemas/violations/")

    anonymous = await client.get(url)
    refused = await client.get(url, headers={"Authorization": f"Bearer {write_only_projects}"})
    unknown = await client.get("/api/projects/999999/event_schemas/violations/", headers=account.headers)

    assert (anonymous.status_code, anonymous.json()) == (401, NOT_AUTHENTICATED)
    assert (refused.status_code, refused.json()) == (403, missing_scope("event_definition:read"))
    assert (unknown.status_code, unknown.json()) == (404, not_found("Project not found."))
    assert (await _counts(client, second))["results"] == []
