"""The capture endpoints PostHog's SDKs post to: /e/, /i/v0/e/, /capture/, /batch/, /track/.

They are public (the project API key in the body authenticates), so they live outside /api/ and declare no
scope. The answer is PostHog's `{"status": 1}` whatever the events' fate, so SDKs never retry a rejection;
only a payload that cannot be read is refused (400), or one without a valid project API key (401).

Plain Starlette routes, ahead of the API's: this is the hot path, and it needs none of FastAPI's dependency
resolution; errors raised here reach the app's error handlers all the same.
"""

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from eventschema.capture import service
from eventschema.capture.decoding import decode
from eventschema.capture.service import Gateway

CAPTURE_PATHS = ("/e/", "/i/v0/e/", "/capture/", "/batch/", "/track/")
ACCEPTED = b'{"status":1}'


async def capture(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    headers = request.headers
    payload = decode(
        await request.body(),
        headers.get("content-type", ""),
        headers.get("content-encoding", ""),
        request.query_params.get("compression"),
        gateway.settings.capture_max_payload_bytes,
    )
    await service.ingest(request.app.state.database, gateway, payload)
    return Response(ACCEPTED, media_type="application/json")


def install(app: FastAPI) -> None:
    for path in CAPTURE_PATHS:
        app.add_route(path, capture, methods=["POST"], include_in_schema=False)
