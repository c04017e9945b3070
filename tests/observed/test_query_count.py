"""The observed-traffic reads issue as many statements for many events and properties as for one."""

from fastapi import FastAPI

from tests.enforcement.helpers import define, event
from tests.factories import Account, StatementCounter
from tests.observed.helpers import definition_id, send


async def _statements(client, account: Account, counter: StatementCounter, method: str, path: str) -> int:
    before = counter.count
    with counter:
        response = await client.request(method, account.url(path), headers=account.headers)
    assert response.status_code == 200, response.text
    return counter.count - before


async def _counts(client, account: Account, counter: StatementCounter) -> list[int]:
    identifier = await definition_id(client, account, "signed up")
    return [
        await _statements(client, account, counter, method, path)
        for method, path in (
            ("GET", f"event_definitions/{identifier}/observed_properties/"),
            ("POST", f"event_definitions/{identifier}/propose/"),
            ("GET", "drift/"),
        )
    ]


async def test_statements_do_not_grow_with_traffic(
    app: FastAPI, client, account: Account, count_statements: StatementCounter
) -> None:
    await define(client, account, mode="allow")
    await send(app, client, account, [event(plan="pro")])
    few = await _counts(client, account, count_statements)

    await send(app, client, account, [event(**{f"p{i}": i for i in range(40)}) for _ in range(5)])
    await send(app, client, account, [event(f"other {i}", x=1) for i in range(20)])
    many = await _counts(client, account, count_statements)

    assert many == few
