"""The calls posthog-js makes at start-up: standalone, the answers of a project with no flags and no remote
config (compression on, nothing to retry); with an upstream PostHog, passed through unchanged, with a timeout and a
clear error."""

import asyncio
import base64
import gzip
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import project_token
from tests.enforcement.servers import free_port, uvicorn_serving
from tests.factories import Account

APP = "https://app.example.com"


def _base64_form(body: dict[str, Any]) -> bytes:
    """A body as posthog-js sends it with compression=base64."""
    return b"data=" + quote(base64.b64encode(json.dumps(body).encode()).decode(), safe="").encode()


async def test_the_remote_config_of_a_project(client, account: Account) -> None:
    token = await project_token(client, account)

    config = await client.get(f"/array/{token}/config")
    script = await client.get(f"/array/{token}/config.js")

    assert config.status_code == 200
    body = config.json()
    assert body["token"] == token
    assert "gzip-js" in body["supportedCompression"]
    assert (body["hasFeatureFlags"], body["sessionRecording"], body["heatmaps"]) == (False, False, False)
    assert "surveys" not in body  # even `false` makes posthog-js load its surveys script
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("application/javascript")
    prefix = b"window._POSTHOG_REMOTE_CONFIG[" + json.dumps(token).encode() + b"]="
    assigned = script.content.split(prefix, 1)[1].rsplit(b";})();", 1)[0]
    assert json.loads(assigned) == {"config": body, "siteApps": []}


async def test_the_remote_config_of_an_unknown_key_is_not_found(client) -> None:
    for path in ("/array/phc_nobody/config", "/array/phc_nobody/config.js"):
        response = await client.get(path)
        assert response.status_code == 404, path


@pytest.mark.parametrize("encoding", ["base64", "gzip-js", "json"])
async def test_flags_of_a_project_with_none(client, account: Account, encoding: str) -> None:
    token = await project_token(client, account)
    body = {"token": token, "distinct_id": "ada", "groups": {}}
    if encoding == "base64":
        content, query, kind = _base64_form(body), "&compression=base64", "application/x-www-form-urlencoded"
    elif encoding == "gzip-js":
        content, query, kind = gzip.compress(orjson.dumps(body)), "&compression=gzip-js", "text/plain"
    else:
        content, query, kind = orjson.dumps(body), "", "application/json"

    response = await client.post(f"/flags/?v=2{query}", content=content, headers={"Content-Type": kind})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["flags"], answer["errorsWhileComputingFlags"], answer["quotaLimited"]) == ({}, False, [])
    assert "featureFlags" not in answer  # posthog-js takes that key for an outdated server


async def test_decide_in_its_older_shape(client, account: Account) -> None:
    token = await project_token(client, account)

    response = await client.post("/decide/?v=3", content=_base64_form({"token": token, "distinct_id": "ada"}))

    assert response.status_code == 200
    answer = response.json()
    assert (answer["featureFlags"], answer["errorsWhileComputingFlags"]) == ({}, False)
    assert "gzip-js" in answer["supportedCompression"]


async def test_flags_need_a_valid_project_key(client) -> None:
    missing = await client.post("/flags/?v=2", json={"distinct_id": "ada"})
    wrong = await client.post("/flags/?v=2", json={"token": "phc_wrong", "distinct_id": "ada"})

    assert (missing.status_code, missing.json()["code"]) == (401, "missing_api_key")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_api_key")


class FakeUpstream:
    """PostHog's flags and config endpoints, recording what they were sent."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str, bytes, dict[str, str]]] = []

    async def record(self, request: Request) -> None:
        body = await request.body()
        self.requests.append((request.method, request.url.path, request.url.query, body, dict(request.headers)))

    async def flags(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse({"flags": {"beta": {"enabled": True}}}, headers={"Cache-Control": "no-store"})

    async def decide(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse({"error": "boom"}, status_code=500)

    async def config_js(self, request: Request) -> Response:
        await self.record(request)
        return RedirectResponse("https://assets.example.com/array/x/config.js", status_code=302)

    async def config(self, request: Request) -> Response:
        await self.record(request)
        await asyncio.sleep(2)
        return JSONResponse({})


@asynccontextmanager
async def _upstream(fake: FakeUpstream, port: int) -> AsyncIterator[None]:
    app = Starlette(
        routes=[
            Route("/flags/", fake.flags, methods=["POST"]),
            Route("/decide/", fake.decide, methods=["POST"]),
            Route("/array/{token}/config.js", fake.config_js),
            Route("/array/{token}/config", fake.config),
        ]
    )
    async with uvicorn_serving(app, port):
        yield


@asynccontextmanager
async def _gateway(database: Database, port: int) -> AsyncIterator[httpx.AsyncClient]:
    settings = app_settings(upstream_url=f"http://127.0.0.1:{port}/batch/", upstream_timeout_seconds=0.5)
    async with app_client(create_app(settings, database=database)) as client:
        yield client


async def test_with_an_upstream_they_are_passed_through(db: Database) -> None:
    port = free_port()
    fake = FakeUpstream()
    body = _base64_form({"token": "phc_anything", "distinct_id": "ada"})
    async with _upstream(fake, port), _gateway(db, port) as client:
        flags = await client.post(
            "/flags/?v=2&compression=base64",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": APP},
        )
        decide = await client.post("/decide/", content=b"{}")
        script = await client.get("/array/phc_anything/config.js")
        slow = await client.get("/array/phc_anything/config", headers={"Origin": APP})

    assert (flags.status_code, flags.json()) == (200, {"flags": {"beta": {"enabled": True}}})
    assert flags.headers["cache-control"] == "no-store"
    assert flags.headers["access-control-allow-origin"] == APP
    method, path, query, sent, headers = fake.requests[0]
    assert (method, path, query, sent) == ("POST", "/flags/", "v=2&compression=base64", body)
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert headers["origin"] == APP
    assert (decide.status_code, decide.json()) == (500, {"error": "boom"})
    assert (script.status_code, script.headers["location"]) == (302, "https://assets.example.com/array/x/config.js")
    assert fake.requests[2][1] == "/array/phc_anything/config.js"
    assert slow.status_code == 504
    assert slow.json()["code"] == "upstream_timeout"
    assert slow.headers["access-control-allow-origin"] == APP


async def test_an_unreachable_upstream_is_a_clear_error(db: Database) -> None:
    async with _gateway(db, free_port()) as client:
        response = await client.post("/flags/?v=2", json={"token": "phc_x"})

    assert response.status_code == 502
    assert response.json() == {
        "type": "server_error",
        "code": "upstream_unavailable",
        "detail": response.json()["detail"],
        "attr": None,
    }
    assert "could not be reached" in response.json()["detail"]
