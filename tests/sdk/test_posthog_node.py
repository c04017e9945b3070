"""posthog-node from npm against a real eventschema server, in its default mode (/batch/) and in capture v1
(/i/v1/analytics/events): every event stored exactly once, valid ones logged and invalid ones quarantined, and
the SDK reports no error; a batch it sends again after losing the answer is stored once."""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.cli.helpers import database_url
from tests.enforcement.servers import free_port, uvicorn_serving
from tests.sdk.helpers import gateway
from tests.sdk.toolchains import node, node_modules

pytestmark = pytest.mark.slow

__all__ = ["database_url"]  # the fixture, from the CLI tests

SCRIPT = Path(__file__).with_name("send_with_posthog_node.js")
EVENTS = 500
TIMEOUT = 60


async def send_with_posthog_node(host: str, token: str, count: int, mode: str, run: str) -> list[str]:
    """Runs the SDK in a Node process; returns the errors it reported."""
    env = {**os.environ, "NODE_PATH": str(node_modules()), "POSTHOG_CAPTURE_MODE": mode}
    process = await asyncio.create_subprocess_exec(
        node(), str(SCRIPT), host, token, str(count), run, env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        stdout, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, stdout
    return json.loads(stdout)["errors"]  # type: ignore[no-any-return]


class LosingProxy:
    """Passes capture requests to the gateway and, the first time, loses the gateway's answer (a 502 instead), as
    a load balancer timing out would: the SDK sends the same batch again."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.requests = 0

    async def handle(self, request: Request) -> Response:
        self.requests += 1
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.request(
                request.method,
                self.target + request.url.path,
                params=request.query_params,
                content=await request.body(),
                headers={k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")},
            )
        if self.requests == 1:
            return Response(b"bad gateway", status_code=502)
        return Response(answer.content, status_code=answer.status_code, media_type="application/json")


@asynccontextmanager
async def _proxy(proxy: LosingProxy) -> AsyncIterator[str]:
    port = free_port()
    app = Starlette(routes=[Route("/{path:path}", proxy.handle, methods=["POST"])])
    async with uvicorn_serving(app, port):
        yield f"http://127.0.0.1:{port}"


def _runs(events: list[dict], run: str) -> list[int]:
    return sorted(e["properties"]["n"] for e in events if e["properties"]["run"] == run)


@pytest.mark.parametrize("mode", ["v0", "v1"])
async def test_posthog_node(database_url: str, tmp_path: Path, mode: str) -> None:
    async with gateway(database_url, tmp_path) as server:
        errors = await send_with_posthog_node(server.base, server.token, EVENTS, mode, "direct")
        # Then through a proxy that loses the first answer: the SDK sends that batch again.
        proxy = LosingProxy(server.base)
        async with _proxy(proxy) as host:
            errors += await send_with_posthog_node(host, server.token, 20, mode, "retried")

        assert errors == []
        assert proxy.requests == 2  # the batch, and the same batch again
        logged = await server.events()
        held = await server.quarantined()
    assert _runs(logged, "direct") == [n for n in range(EVENTS) if n % 10 < 7]  # 350
    assert _runs(held, "direct") == [n for n in range(EVENTS) if n % 10 >= 7]  # 150
    assert _runs(logged, "retried") == [n for n in range(20) if n % 10 < 7]  # 14, once each
    assert _runs(held, "retried") == [n for n in range(20) if n % 10 >= 7]  # 6, once each
    assert {e["properties"]["$lib"] for e in logged} == {"posthog-node"}
    assert {e["reasons"][0] for e in held} == {"type_mismatch"}
    assert len({e["uuid"] for e in logged + held}) == EVENTS + 20
