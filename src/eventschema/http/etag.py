"""Conditional GETs: every representation the API returns carries an ETag, and `If-None-Match` gets a 304.

The tag is a 128-bit xxh3 hash of the response's bytes, computed once the route has answered: it is correct by
construction (equal tags, equal bytes), whatever the route, cache or worker produced them, and costs tens of
microseconds even for the largest list page. Because the route runs first, a 304 is only ever given to a client
that may read the representation, and a client holding an old tag gets the new bytes as soon as they change.
Responses sent in several parts (none of the API's today) pass through untouched.
"""

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from xxhash import xxh3_128_hexdigest

CONDITIONAL_METHODS = frozenset({"GET", "HEAD"})


def entity_tag(body: bytes) -> str:
    return f'"{xxh3_128_hexdigest(body)}"'


def matches(if_none_match: str, tag: str) -> bool:
    """RFC 9110's weak comparison, as If-None-Match uses: `*`, or any listed tag with the same opaque part."""
    if if_none_match.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == tag for candidate in if_none_match.split(","))


def not_modified_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A 200's headers as its 304 sends them: without those about the body it leaves out."""
    return [(k, v) for k, v in headers if k not in (b"content-length", b"content-type")]


class ConditionalGet:
    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in CONDITIONAL_METHODS
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None

        async def send_tagged(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] == 200:
                start = message  # held until the body shows whether it comes in one part
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            if message.get("more_body", False):
                await send(held)
                await send(message)
                return
            tag = entity_tag(message.get("body", b""))
            headers = MutableHeaders(scope=held)
            headers["etag"] = tag
            if if_none_match is not None and matches(if_none_match, tag):
                headers_304 = not_modified_headers(held["headers"])
                await send({"type": "http.response.start", "status": 304, "headers": headers_304})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(held)
            await send(message)

        await self.app(scope, receive, send_tagged)
