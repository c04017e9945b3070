"""Answering posthog-js's flags and config calls: through to the upstream PostHog when one is configured, else
in the standalone shapes of `remote` for a project whose API key is valid."""

from typing import Any

from eventschema import errors
from eventschema.capture.decoding import decode
from eventschema.capture.service import INVALID_TOKEN, MISSING_TOKEN, Gateway, project_for
from eventschema.db import Database
from eventschema.sdk import remote


async def project_exists(database: Database, gateway: Gateway, token: str) -> bool:
    async with database.session(write=False) as session:
        project_id, _snapshot = await project_for(session, gateway, token)
        return project_id is not None


async def config(database: Database, gateway: Gateway, token: str) -> dict[str, Any]:
    if not await project_exists(database, gateway, token):
        raise errors.NotFound(f"No project has the API key {token!r}.")
    return remote.remote_config(token)


async def flags_token(
    database: Database, gateway: Gateway, body: bytes, headers: dict[str, str], query: dict[str, str]
) -> str:
    """The project API key of a flags request (in its body as posthog-js sends it, or in the query), checked."""
    token = query.get("token") or query.get("api_key")
    if body and not token:
        limit = gateway.settings.capture_max_payload_bytes
        payload = decode(
            body, headers.get("content-type", ""), headers.get("content-encoding", ""), query.get("compression"), limit
        )
        token = payload.token
    if not token:
        raise errors.NotAuthenticated(MISSING_TOKEN, code="missing_api_key")
    if not await project_exists(database, gateway, token):
        raise errors.AuthenticationFailed(INVALID_TOKEN, code="invalid_api_key")
    return token
