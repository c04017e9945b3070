"""The id of a captured event: the `uuid` its SDK gave it, or one given at the door.

Every official SDK sends a `uuid` with each event and sends the same one again when it retries a batch, so it is
what tells a resent event from a new one (the event log, quarantine and outbox keep it unique per project) and
what upstream PostHog deduplicates by. An event without a readable uuid gets a new one, written into the event as
received, so that it is the one stored, shown, replayed and forwarded.

It stays a string on the capture path: checking its form costs a fifth of parsing it into a `UUID`, and asyncpg
parses strings in C (the SQLAlchemy paths make `UUID`s of it with `as_uuid`).
"""

import re
from typing import Any
from uuid import UUID

from eventschema.ids import uuid7

# 32 hex digits, with the four dashes or none, as PostgreSQL and asyncpg read them.
_FORM = re.compile(r"[0-9a-fA-F]{8}(-?)[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{12}")
_is_uuid = _FORM.fullmatch


def event_uuid(raw: dict[str, Any]) -> str:
    value = raw.get("uuid")
    if type(value) is str and _is_uuid(value):
        return value
    assigned = str(uuid7())
    raw["uuid"] = assigned
    return assigned


def as_uuid(value: str | UUID) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
