"""A real PostHog-like upstream on 127.0.0.1 and a gateway forwarding to it (shared by the upstream tests)."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.models import OutboxEvent
from tests.app.helpers import app_client, app_settings
from tests.enforcement.servers import uvicorn_serving

POISON = "poison"
HANG = 0  # a "status" for `transient`: answer nothing for longer than the gateway waits
# Longer than what the gateway keeps of an upstream's answer, so the test sees it cut.
REJECTION_DETAIL = "Invalid event: " + "x" * 4000


@dataclass
class FakePostHog:
    """A PostHog capture endpoint.

    Its first requests get the answers in `transient` (status, headers; HANG for none); after that a batch
    holding an event whose properties carry `POISON` (while `rejecting`) gets a 400, and any other batch is
    accepted and recorded.
    """

    transient: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    rejecting: bool = True
    reject_all: bool = False
    delay: float = 0.0  # seconds each request takes
    requests: int = 0
    request_sizes: list[int] = field(default_factory=list)
    request_times: list[float] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)

    async def batch(self, request: Request) -> Response:
        body = orjson.loads(await request.body())
        await asyncio.sleep(self.delay)
        self.requests += 1
        self.request_sizes.append(len(body["batch"]))
        self.request_times.append(time.monotonic())
        if self.transient:
            status, headers = self.transient.pop(0)
            if status == HANG:
                await asyncio.sleep(2.0)
            return JSONResponse({"error": "try again"}, status_code=status, headers=headers)
        if self.reject_all or (self.rejecting and any(POISON in item["properties"] for item in body["batch"])):
            return JSONResponse({"type": "validation_error", "detail": REJECTION_DETAIL}, status_code=400)
        self.batches.append(body)
        return JSONResponse({"status": 1})

    @property
    def events(self) -> list[dict[str, Any]]:
        return [item for batch in self.batches for item in batch["batch"]]


@asynccontextmanager
async def upstream(fake: FakePostHog, port: int) -> AsyncIterator[None]:
    app = Starlette(routes=[Route("/batch/", fake.batch, methods=["POST"])])
    async with uvicorn_serving(app, port):
        yield


@asynccontextmanager
async def gateway(database: Database, port: int, **settings: Any) -> AsyncIterator[Any]:
    app = create_app(app_settings(upstream_url=f"http://127.0.0.1:{port}", **settings), database=database)
    async with app.router.lifespan_context(app), app_client(app) as client:
        yield client


async def outbox_size(database: Database) -> int:
    async with database.session(write=False) as session:
        return (await session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one()


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
