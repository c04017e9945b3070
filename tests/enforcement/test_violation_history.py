"""GET .../event_schemas/violations/?since=&until=&interval=hour|day: per event and property, the violations in
each hour or day, most first, over the kept history."""

from datetime import UTC, datetime, timedelta

from eventschema.db import Database
from eventschema.enforcement.service import current_hour
from eventschema.models import ViolationCount, utcnow
from tests.app.helpers import NOT_AUTHENTICATED, missing_scope, not_found
from tests.enforcement.helpers import api
from tests.factories import Account, make_key

DAY = datetime(2026, 11, 20, tzinfo=UTC)


async def _add(db: Database, project_id: int, rows: list[tuple[datetime, str, str, str, int]]) -> None:
    async with db.session(write=True) as session:
        for hour, event, prop, reason, count in rows:
            session.add(
                ViolationCount(project_id=project_id, hour=hour, event=event, property=prop, reason=reason, count=count)
            )
        await session.commit()


async def _history(client, account: Account, **params: str) -> dict:
    return await api(client, account, "GET", "event_schemas/violations/", params=params)  # type: ignore[no-any-return]


async def test_hourly_and_daily_buckets_worst_first(client, db: Database, account: Account) -> None:
    await _add(db, account.project_id, [
        (DAY + timedelta(hours=1), "signed up", "seats", "type_mismatch", 4),
        (DAY + timedelta(hours=1), "signed up", "seats", "missing_required", 1),
        (DAY + timedelta(hours=5), "signed up", "seats", "type_mismatch", 2),
        (DAY + timedelta(days=1, hours=2), "signed up", "seats", "type_mismatch", 3),
        (DAY + timedelta(hours=3), "signed up", "plan", "missing_required", 20),
        (DAY + timedelta(hours=3), "paid", "amount", "type_mismatch", 1),
        (DAY - timedelta(hours=1), "signed up", "seats", "type_mismatch", 1000),  # before `since`
    ])  # fmt: skip
    since, until = DAY.isoformat(), (DAY + timedelta(days=2)).isoformat()

    hourly = await _history(client, account, since=since, until=until, interval="hour")

    assert hourly["count"] == 3
    first, second, third = hourly["results"]
    assert (first["event"], first["property"], first["count"]) == ("signed up", "plan", 20)
    assert second == {
        "event": "signed up",
        "property": "seats",
        "count": 10,
        "reasons": {"type_mismatch": 9, "missing_required": 1},
        "buckets": [
            {"start": "2026-11-20T01:00:00Z", "count": 5},
            {"start": "2026-11-20T05:00:00Z", "count": 2},
            {"start": "2026-11-21T02:00:00Z", "count": 3},
        ],
    }
    assert (third["event"], third["count"]) == ("paid", 1)

    daily = await _history(
        client, account, since=since, until=until, interval="day", event="signed up", limit="1", offset="1"
    )
    assert daily["count"] == 2 and daily["next"] is None and daily["previous"] is not None
    assert daily["results"][0]["buckets"] == [
        {"start": "2026-11-20T00:00:00Z", "count": 7},
        {"start": "2026-11-21T00:00:00Z", "count": 3},
    ]


async def test_defaults_cover_the_last_day_hourly(client, db: Database, account: Account) -> None:
    hour = current_hour(utcnow())
    await _add(db, account.project_id, [
        (hour, "e", "p", "type_mismatch", 1),
        (hour - timedelta(hours=23), "e", "p", "type_mismatch", 10),
        (hour - timedelta(hours=25), "e", "p", "type_mismatch", 100),
    ])  # fmt: skip

    body = await _history(client, account, interval="hour")

    assert [item["count"] for item in body["results"]] == [11]
    assert len(body["results"][0]["buckets"]) == 2
    plain = await _history(client, account)  # without history parameters: the 24-hour counts, as before
    assert plain["results"] == [{"event": "e", "property": "p", "reason": "type_mismatch", "count": 11}]


async def test_invalid_parameters_are_400(client, account: Account) -> None:
    for params, attr in (
        ({"interval": "week"}, "interval"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-13-01"}, "until"),
    ):
        response = await client.get(account.url("event_schemas/violations/"), params=params, headers=account.headers)
        assert response.status_code == 400, params
        assert response.json()["attr"] == attr, params
    backwards = {"since": "2026-11-21T00:00:00Z", "until": "2026-11-20T00:00:00Z"}
    assert (await _history(client, account, **backwards))["results"] == []
    empty = await _history(client, account, since="", until="", interval="")  # empty values are not given
    assert empty["results"] == []


async def test_history_needs_a_key_the_read_scope_and_a_project(client, db: Database, account: Account) -> None:
    params = {"interval": "day"}
    url = account.url("event_schemas/violations/")
    assert (await client.get(url, params=params)).json() == NOT_AUTHENTICATED
    key = await make_key(db, account.email, ["project:read"])
    response = await client.get(url, params=params, headers={"Authorization": f"Bearer {key}"})
    assert (response.status_code, response.json()) == (403, missing_scope("event_definition:read"))
    response = await client.get(
        f"/api/projects/{account.project_id + 9}/event_schemas/violations/", params=params, headers=account.headers
    )
    assert (response.status_code, response.json()) == (404, not_found("Project not found."))
