"""Alerts are posted once per event and hour when violations reach a threshold, to a receiver this test runs on
127.0.0.1: down at first (the alert is retried with backoff), then up (delivered exactly once)."""

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import orjson
import pytest

from eventschema.alerts.sender import Alerts
from eventschema.db import Database
from eventschema.models import utcnow
from tests.app.helpers import app_settings
from tests.enforcement.helpers import api, captured_ok, define, event, project_token
from tests.factories import Account


class Receiver:
    """A minimal HTTP server that records the JSON bodies posted to it and answers 200."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bodies: list[dict[str, object]] = []
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
        )
        self.bodies.append(orjson.loads(await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver(_free_port())
    try:
        yield found
    finally:
        await found.stop()


async def test_down_then_up_is_delivered_once(client, db: Database, account: Account, receiver: Receiver) -> None:
    settings = app_settings(public_url="https://console.example.com/")
    await define(client, account, mode="reject")
    hook = {"url": f"http://127.0.0.1:{receiver.port}/hook", "threshold": 3, "event": "signed up"}
    await api(client, account, "POST", "alert_webhooks/", json=hook)
    await api(client, account, "POST", "alert_webhooks/", json={**hook, "event": "other", "threshold": 1})
    token = await project_token(client, account)
    await captured_ok(client, token, [event(plan="pro"), event(seats=2)])
    alerts = Alerts(db, settings)
    now = utcnow()

    async with httpx.AsyncClient(timeout=2) as http:
        assert await alerts.tick(http, now) == 0  # two violations: below the threshold
        await captured_ok(client, token, [event(plan="pro", seats="many")])
        assert await alerts.tick(http, now) == 0  # crossed, but the receiver is down
        await receiver.start()
        assert await alerts.tick(http, now + timedelta(milliseconds=500)) == 0  # backing off (1 s)
        assert await alerts.tick(http, now + timedelta(seconds=2)) == 1
        await captured_ok(client, token, [event()] * 5)
        assert await alerts.tick(http, now + timedelta(seconds=30)) == 0  # once per event and hour

    (body,) = receiver.bodies
    assert body["event"] == "signed up" and body["project_id"] == account.project_id
    assert (body["violations"], body["threshold"]) == (3, 3)
    assert body["top_reasons"] == [{"reason": "missing_required", "count": 2}, {"reason": "type_mismatch", "count": 1}]
    link = f"https://console.example.com/projects/{account.project_id}/events/by_name/?name=signed%20up"
    assert body["url"] == link
    assert isinstance(body["text"], str)
    assert "'signed up'" in body["text"] and f"<{link}|Open the event>" in body["text"]


async def test_two_processes_deliver_an_alert_once(client, db: Database, account: Account, receiver: Receiver) -> None:
    await receiver.start()
    await define(client, account, mode="reject")
    hook = {"url": f"http://127.0.0.1:{receiver.port}/hook", "threshold": 1}
    await api(client, account, "POST", "alert_webhooks/", json=hook)
    await captured_ok(client, await project_token(client, account), [event(plan="pro")])
    first, second = Alerts(db, app_settings()), Alerts(db, app_settings())

    async with httpx.AsyncClient(timeout=2) as http:
        delivered = await asyncio.gather(first.tick(http), second.tick(http))

    assert sum(delivered) == 1
    assert len(receiver.bodies) == 1
