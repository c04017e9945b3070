"""Passing posthog-js's flags and config calls through to the upstream PostHog, when one is configured.

The gateway only checks events; flags and remote config are the upstream's, so those requests go there
unchanged (method, path, query, body and the headers that describe them) and its answer comes back unchanged
(status, body and the headers that matter: type, caching, redirects, retry hints). A redirect is returned, not
followed: PostHog sends config scripts to its asset host, and the browser follows. An upstream that cannot be
reached or does not answer within `upstream_timeout_seconds` is a 502 or 504 in the API's error shape.
"""

import logging
from urllib.parse import urlsplit

import httpx
from starlette.responses import Response

from eventschema import errors
from eventschema.settings import Settings

logger = logging.getLogger("eventschema.sdk")

REQUEST_HEADERS = ("content-type", "content-encoding", "user-agent", "accept", "origin", "referer", "authorization")
RESPONSE_HEADERS = ("content-type", "cache-control", "location", "retry-after", "etag", "last-modified", "expires")


def upstream_origin(upstream_url: str) -> str:
    """Scheme and host of the upstream: flags and config live at its root whatever path capture posts to."""
    parts = urlsplit(upstream_url)
    return f"{parts.scheme}://{parts.netloc}"


class Upstream:
    def __init__(self, settings: Settings) -> None:
        assert settings.upstream_url
        self._origin = upstream_origin(settings.upstream_url)
        self._timeout = settings.upstream_timeout_seconds
        self._client: httpx.AsyncClient | None = None

    async def forward(
        self, method: str, path: str, query: bytes, headers: dict[str, str], body: bytes, client_host: str | None
    ) -> Response:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
        url = self._origin + path + ("?" + query.decode("latin-1") if query else "")
        outgoing = {name: headers[name] for name in REQUEST_HEADERS if name in headers}
        if client_host:
            forwarded = headers.get("x-forwarded-for")
            outgoing["x-forwarded-for"] = f"{forwarded}, {client_host}" if forwarded else client_host
        try:
            answer = await self._client.request(method, url, content=body or None, headers=outgoing)
        except httpx.TimeoutException as exc:
            logger.warning("upstream %s timed out: %r", url, exc)
            raise errors.UpstreamTimeout(
                f"The upstream PostHog ({self._origin}) did not answer within {self._timeout:g} s."
            ) from exc
        except httpx.HTTPError as exc:
            logger.warning("upstream %s unreachable: %r", url, exc)
            raise errors.UpstreamUnavailable(f"The upstream PostHog ({self._origin}) could not be reached.") from exc
        kept = {name: answer.headers[name] for name in RESPONSE_HEADERS if name in answer.headers}
        return Response(answer.content, status_code=answer.status_code, headers=kept)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
