"""The access log middleware, around a small ASGI app (a real server's access log is tested in tests/cli)."""

import logging

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from eventschema.logs import ACCESS_LOGGER, AccessLog


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["path"] == "/boom":
        raise RuntimeError("boom")
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def test_one_line_per_request_with_its_fields(caplog: pytest.LogCaptureFixture) -> None:
    transport = httpx.ASGITransport(app=AccessLog(_app), client=("10.0.0.7", 4321))
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post("/api/projects/1/?personal_api_key=phx_secret", content=b"{}")

    assert response.status_code == 201
    [record] = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert record.levelno == logging.INFO
    fields = {key: getattr(record, key) for key in ("method", "path", "status", "client")}
    assert fields == {"method": "POST", "path": "/api/projects/1/", "status": 201, "client": "10.0.0.7:4321"}
    duration = record.duration_ms  # type: ignore[attr-defined]
    assert isinstance(duration, float) and 0 <= duration < 5000
    assert record.getMessage() == f"POST /api/projects/1/ 201 {duration:.2f}ms 10.0.0.7:4321"
    assert "phx_secret" not in record.getMessage()


async def test_an_unhandled_error_is_logged_as_500(caplog: pytest.LogCaptureFixture) -> None:
    transport = httpx.ASGITransport(app=AccessLog(_app), raise_app_exceptions=False)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await client.get("/boom")

    [record] = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert (record.path, record.status) == ("/boom", 500)  # type: ignore[attr-defined]


async def test_lifespan_and_other_scopes_pass_through(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def receive() -> dict[str, str]:
        return {"type": "lifespan.startup"}

    async def send(message: object) -> None:
        pass

    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        await AccessLog(app)({"type": "lifespan"}, receive, send)

    assert seen == ["lifespan"]
    assert not [r for r in caplog.records if r.name == ACCESS_LOGGER]
