"""POST /i/v1/analytics/events: PostHog's capture v1, as posthog-node sends it with POSTHOG_CAPTURE_MODE=v1.

It differs from the other capture routes in its envelope, not in what happens to the events: the project API key
comes as `Authorization: Bearer <key>`, the body is `{"created_at", "batch": [...]}` (gzip'd when the SDK
compresses), and each event carries `session_id`, `window_id` and `options` at its top instead of `$`-properties,
and no `$lib` (the SDK names itself in `PostHog-Sdk-Info`). Each event is turned back into the shape the other
routes receive, then goes through the same checks, quarantine, storage and forwarding.

The answer is per event, keyed by its uuid: `ok` once stored, `warning` (with the reasons) once quarantined. The
SDK retries only `retry` and reports only `drop`, so neither makes it send again; a request that cannot be read
or authenticated is refused as a whole (400/401), as on the other routes.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.capture import service
from eventschema.capture.decoding import Payload, decode, too_large
from eventschema.capture.service import Gateway
from eventschema.db import Database
from eventschema.rendering import JSONResponse

router = APIRouter(include_in_schema=False)

# posthog-node lifts these properties into `options`; they go back where the other routes expect them.
OPTIONS = {
    "cookieless_mode": "$cookieless_mode",
    "disable_skew_correction": "$ignore_sent_at",
    "process_person_profile": "$process_person_profile",
    "product_tour_id": "$product_tour_id",
}
TOP_LEVEL = {"session_id": "$session_id", "window_id": "$window_id"}


@router.post("/i/v1/analytics/events/")
async def analytics_events(request: Request) -> Response:
    gateway = request.app.state.gateway
    body = await capped_body(request, gateway.settings.capture_max_payload_bytes)
    return JSONResponse(await ingest(request.app.state.database, gateway, body, request.headers))


async def ingest(database: Database, gateway: Gateway, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """Store a v1 request's events; returns the answer, a result per uuid."""
    limit = gateway.settings.capture_max_payload_bytes
    payload = decode(body, headers.get("content-type", ""), headers.get("content-encoding", ""), None, limit)
    library = _library(headers.get("posthog-sdk-info", ""))
    sent = [item.get("uuid") if type(item) is dict else None for item in payload.events]
    events = [from_v1(item, library) for item in payload.events]
    result = await service.ingest(database, gateway, Payload(_bearer(headers), events))
    held = {item.uuid: item.reasons for item in result.rejected}
    results: dict[str, dict[str, Any]] = {}
    for original, event in zip(sent, events, strict=True):
        # Keyed by the uuid as the SDK sent it (an unreadable one was replaced in the event).
        key = original if type(original) is str and original else event["uuid"]
        reasons = held.get(event["uuid"])
        results[key] = (
            {"result": "ok"} if reasons is None else {"result": "warning", "details": f"quarantined: {reasons}"}
        )
    return {"results": results}


def from_v1(event: Any, library: tuple[str, str] | None) -> Any:
    """The event as the v0 routes receive it; what is not an event is left for the checks to refuse."""
    if type(event) is not dict:
        return event
    properties = event.get("properties")
    if properties is None:
        properties = {}
    if type(properties) is not dict:
        return event
    properties = dict(properties)
    for field, name in TOP_LEVEL.items():
        value = event.pop(field, None)
        if value is not None:
            properties.setdefault(name, value)
    options = event.pop("options", None)
    if type(options) is dict:
        for key, name in OPTIONS.items():
            if key in options:
                properties.setdefault(name, options[key])
    if library is not None:
        properties.setdefault("$lib", library[0])
        properties.setdefault("$lib_version", library[1])
    event["properties"] = properties
    return event


def _library(sdk_info: str) -> tuple[str, str] | None:
    """`posthog-node/5.70.0` -> ("posthog-node", "5.70.0")."""
    name, _, version = sdk_info.strip().partition("/")
    return (name, version) if name else None


def _bearer(headers: Mapping[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def capped_body(request: Request, limit: int) -> bytes:
    """The whole body; refused as soon as it is longer than `limit`."""
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
