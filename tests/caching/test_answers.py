"""Whole answers kept for the lists and pages of event schemas and property groups (`caching.answers`), on both back
ends: sent again for one shared statement, never once something they show or who may read them changed (even when
the change was committed by another process, with no notification), and with every check a route makes."""

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, update

from eventschema.app import create_app
from eventschema.auth.keys import hash_key
from eventschema.caching.answers import AnswerCache
from eventschema.db import Database
from eventschema.models import CredentialChange, PersonalAPIKey, PropertyGroup, SchemaChange, utcnow
from tests.app.helpers import app_client, app_settings
from tests.event_schemas.api import linked_pair
from tests.factories import Account, StatementCounter, make_account, make_key

LISTS = ["event_schemas/?limit=10", "schema_property_groups/?limit=100", "event_schemas/", "schema_property_groups"]


def _app_of(client: httpx.AsyncClient) -> Any:
    transport: Any = client._transport  # the app the `client` fixture built
    return transport.app


async def _get(client: httpx.AsyncClient, account: Account, path: str, **headers: str) -> httpx.Response:
    return await client.get(account.url(path), headers={**account.headers, **headers})


async def _pages(client: httpx.AsyncClient, account: Account) -> list[str]:
    """The lists and the two pages of one linked pair."""
    link = await linked_pair(client, account)
    return [*LISTS, f"event_schemas/{link['id']}/", f"schema_property_groups/{link['property_group']['id']}/"]


async def test_a_repeated_read_costs_one_statement(
    client: httpx.AsyncClient, account: Account, count_statements: StatementCounter
) -> None:
    revisions = _app_of(client).state.revisions
    for path in await _pages(client, account):
        first = await _get(client, account, path)
        assert first.status_code == 200, first.text
        count_statements.statements.clear()
        reads = revisions.reads
        with count_statements:
            again = await _get(client, account, path)
        assert (again.status_code, again.content) == (200, first.content)
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["content-type"] == first.headers["content-type"]
        assert revisions.reads == reads + 1
        # Nothing else: on PostgreSQL the read has a connection of its own, on SQLite it goes through the engine.
        assert [s for s in count_statements.statements if "SELECT" in s and "credential_changes" not in s] == []


async def test_if_none_match_on_a_kept_answer_is_a_304(client: httpx.AsyncClient, account: Account) -> None:
    path = (await _pages(client, account))[0]
    first = await _get(client, account, path)
    await _get(client, account, path)  # kept now
    not_modified = await _get(client, account, path, **{"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == first.headers["etag"]
    assert (await _get(client, account, path, **{"If-None-Match": '"other"'})).content == first.content


async def _commit(db: Database, *statements: Any) -> None:
    """Writes as another process makes them: committed, with no notification to this one."""
    async with db.session(write=True) as session:
        for statement in statements:
            await session.execute(statement)
        await session.commit()


async def test_a_change_committed_elsewhere_is_in_the_next_answer(
    client: httpx.AsyncClient, db: Database, account: Account
) -> None:
    pages = await _pages(client, account)
    kept = {path: (await _get(client, account, path)).text for path in pages}
    assert all("renamed elsewhere" not in text for text in kept.values())
    await _commit(
        db,
        update(PropertyGroup).values(name="renamed elsewhere", revision=PropertyGroup.revision + 1),
        insert(SchemaChange).values(project_id=account.project_id, changed_at=utcnow()),
    )
    for path in pages:
        answer = await _get(client, account, path)
        assert answer.status_code == 200
        assert "renamed elsewhere" in answer.text, path


async def test_a_rename_through_the_api_is_in_the_next_answer(client: httpx.AsyncClient, account: Account) -> None:
    pages = await _pages(client, account)
    for path in pages:
        await _get(client, account, path)
    group_id = pages[-1].split("/")[1]
    renamed = await client.patch(
        account.url(f"schema_property_groups/{group_id}/"), json={"name": "renamed"}, headers=account.headers
    )
    assert renamed.status_code == 200, renamed.text
    for path in pages:
        assert '"renamed"' in (await _get(client, account, path)).text, path


def _key_of(account: Account) -> Any:
    return PersonalAPIKey.secure_value == hash_key(account.api_key)


async def _change_key_elsewhere(db: Database, statement: Any) -> None:
    """A change to a key committed by another process, with its credential change (as every writer records)."""
    await _commit(db, statement, insert(CredentialChange).values(changed_at=utcnow()))


async def _kept(client: httpx.AsyncClient, account: Account) -> str:
    path = (await _pages(client, account))[0]
    for _ in range(2):
        assert (await _get(client, account, path)).status_code == 200
    return path


async def test_a_key_revoked_elsewhere_is_refused_at_once(
    client: httpx.AsyncClient, db: Database, account: Account
) -> None:
    path = await _kept(client, account)
    await _change_key_elsewhere(db, PersonalAPIKey.__table__.delete().where(_key_of(account)))
    assert (await _get(client, account, path)).status_code == 401


async def test_a_key_whose_scopes_were_reduced_elsewhere_is_refused_at_once(
    client: httpx.AsyncClient, db: Database, account: Account
) -> None:
    path = await _kept(client, account)
    await _change_key_elsewhere(db, update(PersonalAPIKey).where(_key_of(account)).values(scopes=["insight:read"]))
    refused = await _get(client, account, path)
    assert refused.status_code == 403
    assert "event_definition:read" in refused.json()["detail"]


async def test_a_key_is_refused_a_project_removed_from_its_projects(
    client: httpx.AsyncClient, db: Database, account: Account
) -> None:
    other = await make_account(db, email="other@example.com", project="Other")
    path = await _kept(client, account)
    await _change_key_elsewhere(
        db, update(PersonalAPIKey).where(_key_of(account)).values(scoped_teams=[other.project_id])
    )
    assert (await _get(client, account, path)).status_code == 403


async def test_each_key_and_url_has_its_own_answer(client: httpx.AsyncClient, db: Database, account: Account) -> None:
    for index in range(3):
        await linked_pair(client, account, suffix=str(index))
    path = "event_schemas/?limit=1"
    for host in ("a.example", "b.example", "a.example", "b.example"):
        answer = await _get(client, account, path, Host=host)
        assert answer.json()["next"].startswith(f"http://{host}/"), answer.json()["next"]
    other = await make_account(db, email="other@example.com", project="Other")
    # Another key of the same user, limited to another project: refused, though the URL's answer is kept.
    limited = await make_key(db, account.email, ["event_definition:read"], projects=[other.project_id])
    assert (await client.get(account.url(path), headers={"Authorization": f"Bearer {limited}"})).status_code == 403
    assert (await client.get(other.url(path), headers=other.headers)).json()["count"] == 0


def _app(db: Database, **settings: Any) -> Any:
    return create_app(app_settings(**settings), database=db)


async def test_the_rate_limit_counts_kept_answers(db: Database, account: Account) -> None:
    app = _app(db, rate_limit_enabled=True, rate_limit_burst_per_minute=3)
    async with app_client(app) as client:
        statuses = [(await _get(client, account, "event_schemas/")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


async def test_an_address_held_back_for_failed_sign_ins_is_refused_a_kept_answer(
    db: Database, account: Account
) -> None:
    app = _app(db, auth_failures_per_minute=2)
    async with app_client(app) as client:
        for _ in range(2):
            assert (await _get(client, account, "event_schemas/")).status_code == 200
        wrong = {"Authorization": "Bearer phx_wrong"}
        for _ in range(2):
            assert (await client.get(account.url("event_schemas/"), headers=wrong)).status_code == 401
        assert (await _get(client, account, "event_schemas/")).status_code == 429


async def test_a_kept_answer_records_the_keys_use_hourly(db: Database, account: Account) -> None:
    app = _app(db)
    async with app_client(app) as client:
        for _ in range(2):
            await _get(client, account, "event_schemas/")
        answers: AnswerCache = app.state.answers
        [(_key, answer)] = list(answers.entries.items())
        answer.last_used_at = utcnow() - timedelta(hours=2)
        await _commit(
            db,
            update(PersonalAPIKey)
            .where(PersonalAPIKey.secure_value == hash_key(account.api_key))
            .values(last_used_at=None),
        )
        assert (await _get(client, account, "event_schemas/")).status_code == 200
    async with db.session(write=False) as session:
        key = (
            await session.execute(
                PersonalAPIKey.__table__.select().where(PersonalAPIKey.secure_value == hash_key(account.api_key))
            )
        ).one()
    assert key.last_used_at is not None


async def test_errors_and_console_sessions_are_not_kept(client: httpx.AsyncClient, account: Account) -> None:
    missing = "event_schemas/0190f0a0-0000-7000-8000-000000000000/"
    assert [(await _get(client, account, missing)).status_code for _ in range(2)] == [404, 404]
    assert (await client.get(account.url("event_schemas/"))).status_code == 401  # no key: the routes answer
    assert len(_app_of(client).state.answers.entries) == 0


async def test_answers_are_bounded_in_bytes(db: Database, account: Account) -> None:
    app = _app(db)
    app.state.answers = AnswerCache(4_000, 5)
    async with app_client(app) as client:
        await linked_pair(client, account)
        sizes = set()
        for limit in range(1, 30):
            answer = await _get(client, account, f"event_schemas/?limit={limit}")
            sizes.add(len(answer.content))
        entries = app.state.answers.entries
        assert entries.bytes <= 4_000
        assert 0 < len(entries) < 29


@pytest.mark.parametrize("seconds", [0])
async def test_no_answers_are_kept_when_keys_are_not(db: Database, account: Account, seconds: float) -> None:
    app = _app(db, auth_cache_seconds=seconds)
    assert app.state.answers is None
    async with app_client(app) as client:
        for _ in range(2):
            assert (await _get(client, account, "event_schemas/")).status_code == 200


async def test_requests_for_an_answer_being_made_wait_for_it(
    client: httpx.AsyncClient, account: Account, count_statements: StatementCounter
) -> None:
    await linked_pair(client, account)
    with count_statements:
        answers = await asyncio.gather(*[_get(client, account, "event_schemas/?limit=7") for _ in range(8)])
    assert {(answer.status_code, answer.content) for answer in answers} == {(200, answers[0].content)}
    pages = [s for s in count_statements.statements if "FROM event_schemas" in s]
    assert len(pages) == 1, pages  # the route ran once; the others were sent what it made
