"""Turning a capture request body into (project API key, events), in every shape PostHog's SDKs send.

Bodies are JSON, optionally gzip-compressed (`Content-Encoding: gzip` or `?compression=gzip-js`, as
posthog-js sends with `text/plain`), or form-encoded with the JSON (possibly gzipped) base64-encoded in `data`.
The JSON is one event, a list of events, or `{"batch": [...]}`; the key is `api_key` or `token` at the top, else
on the first event (or in its properties, where posthog-js puts it).
"""

import base64
import binascii
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qs

import orjson
from isal import isal_zlib

from eventschema import errors
from eventschema.capture.storable import may_hold_nul

GZIP_MAGIC = b"\x1f\x8b"
# A request body is gathered in a bytearray (see `router._body`); decoding reads it in place.
Body = bytes | bytearray
FORM_TYPE = "application/x-www-form-urlencoded"
# isal's stubs declare its error class as an instance.
_INFLATE_ERROR = cast(type[Exception], isal_zlib.error)


@dataclass(frozen=True, slots=True)
class Payload:
    token: str | None
    events: list[Any]
    # False when no string of the payload can hold a NUL character (see `storable.may_hold_nul`).
    may_hold_nul: bool = False


def invalid(detail: str, attr: str | None = None) -> errors.ValidationError:
    return errors.ValidationError(detail, code="invalid_payload", attr=attr)


def decode(body: Body, content_type: str, content_encoding: str, compression: str | None, limit: int) -> Payload:
    if len(body) > limit:
        raise too_large(limit)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == FORM_TYPE or body.startswith(b"data="):
        body, compression = _form_data(body, compression)
    if "gzip" in content_encoding.lower() or (compression or "").startswith("gzip") or body.startswith(GZIP_MAGIC):
        body = _gunzip(body, limit)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise errors.ParseError(f"JSON parse error - {exc}") from exc
    return _payload(data, may_hold_nul(body))


def _form_data(body: Body, compression: str | None) -> tuple[bytes, str | None]:
    fields = parse_qs(body.decode("latin-1"))
    encoded = fields.get("data", [""])[0]
    if not encoded:
        raise invalid("The form has no 'data' field.", attr="data")
    compression = fields.get("compression", [compression or ""])[0] or None
    try:
        # Form decoding turns '+' into ' '; base64 padding is often dropped.
        return base64.b64decode(encoded.replace(" ", "+") + "===", validate=False), compression
    except (binascii.Error, ValueError) as exc:
        raise invalid("The 'data' field is not base64.", attr="data") from exc


def _gunzip(body: Body, limit: int) -> bytes:
    """The content of a gzip body: one member or several one after another (RFC 1952), joined.

    ISA-L's inflate (zlib's interface and results, 3-5 times as fast): a batch's gunzip was a third of its
    decoding. Anything after the last member that is not another member is refused rather than ignored: it may
    be events."""
    parts: list[bytes] = []
    size = 0
    rest: Body = body
    while True:
        decompressor = isal_zlib.decompressobj(16 + isal_zlib.MAX_WBITS)
        try:
            data = decompressor.decompress(rest, limit + 1 - size)
        except _INFLATE_ERROR as exc:
            raise invalid(f"The body is not valid gzip: {exc}") from exc
        size += len(data)
        if size > limit or decompressor.unconsumed_tail:
            raise too_large(limit)
        if not decompressor.eof:
            raise invalid("The gzip body is truncated.")
        parts.append(data)
        rest = decompressor.unused_data
        if not rest:
            return data if len(parts) == 1 else b"".join(parts)
        if not rest.startswith(GZIP_MAGIC):
            raise invalid("The gzip body is followed by data that is not gzip.")


def too_large(limit: int) -> errors.RequestTooLarge:
    return errors.RequestTooLarge(limit)


def _payload(data: Any, nul: bool) -> Payload:
    token: Any = None
    if isinstance(data, dict):
        token = data.get("api_key") or data.get("token")
        events = data.get("batch", [data])
    else:
        events = data
    if not isinstance(events, list):
        raise invalid('Expected an event, a list of events or {"batch": [...]}.', attr="batch")
    if not events:
        raise invalid("No events in the payload.", attr="batch")
    if not token and isinstance(events[0], dict):
        first = events[0]
        properties = first.get("properties")
        token = first.get("api_key") or first.get("token")
        if not token and isinstance(properties, dict):
            token = properties.get("token")
    return Payload(token if isinstance(token, str) and token else None, events, nul)
