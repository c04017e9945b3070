"""Generated code and the plan document are built once per plan revision and rebuilt as soon as it moves, on both
back ends: by any write through the API, and by event definitions that capture adds (no schema version)."""

import json

import pytest

from eventschema.capture.repository import touch_definitions
from eventschema.db import Database
from eventschema.models import utcnow
from tests.codegen import fixture
from tests.factories import Account, StatementCounter

PATHS = ["event_definitions/json/", "event_definitions/typescript/", "plan/", "plan/?format=yaml"]


async def _get(client, account: Account, path: str, counter: StatementCounter | None = None):
    if counter is None:
        response = await client.get(account.url(path), headers=account.headers)
    else:
        counter.statements.clear()
        with counter:
            response = await client.get(account.url(path), headers=account.headers)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("path", PATHS)
async def test_a_repeated_request_reads_only_the_revision(
    client, account: Account, count_statements: StatementCounter, path: str
) -> None:
    await fixture.create_via_api(client, account)
    first = await _get(client, account, path, count_statements)
    built = count_statements.count
    again = await _get(client, account, path, count_statements)
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["etag"] == first.headers["etag"]
    revision = [s for s in count_statements.statements if "schema_changes" in s and "event_definitions" in s]
    assert len(revision) == 1  # the plan revision, read once
    assert count_statements.count <= built - 3  # the plan's own statements are not run again


async def test_an_event_added_by_capture_is_in_the_next_answer(client, db: Database, account: Account) -> None:
    await fixture.create_via_api(client, account)
    before = {path: (await _get(client, account, path)).text for path in PATHS}
    async with db.session(write=True) as session:
        await touch_definitions(session, {(account.project_id, "seen by capture"): utcnow()})
        await session.commit()
    listed = [event["name"] for event in json.loads((await _get(client, account, PATHS[0])).json()["content"])]
    assert "seen by capture" in listed
    assert "seen by capture" in (await _get(client, account, "event_definitions/typescript/")).json()["content"]
    assert "seen by capture" in (await _get(client, account, "plan/")).text
    assert "seen by capture" in (await _get(client, account, "plan/?format=yaml")).text
    assert all("seen by capture" not in text for text in before.values())


async def test_a_rename_through_the_api_is_in_the_next_answer(client, account: Account) -> None:
    await fixture.create_via_api(client, account)
    for path in PATHS:
        await _get(client, account, path)
    listed = await client.get(account.url("event_definitions/?limit=1000"), headers=account.headers)
    definition = next(d for d in listed.json()["results"] if not d["name"].startswith("$"))
    renamed = await client.patch(
        account.url(f"event_definitions/{definition['id']}/"), json={"name": "renamed event"}, headers=account.headers
    )
    assert renamed.status_code == 200, renamed.text
    for path in PATHS:
        text = (await _get(client, account, path)).text
        assert "renamed event" in text, path


async def test_a_past_plan_and_a_bad_format_are_not_cached(client, account: Account) -> None:
    await fixture.create_via_api(client, account)
    bad = await client.get(account.url("plan/?format=xml"), headers=account.headers)
    assert bad.status_code == 400
    assert bad.json()["attr"] == "format"
    past = await _get(client, account, "plan/?at=0")
    now = await _get(client, account, "plan/")
    assert past.json() != now.json()
