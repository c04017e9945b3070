"""The id of a captured event: the `uuid` its SDK gave it, or one given at the door.

Every official SDK sends a `uuid` with each event and sends the same one again when it retries a batch, so it is
what tells a resent event from a new one (the event log, quarantine and outbox keep it unique per project) and
what upstream PostHog deduplicates by. An event without a readable uuid gets a new one, written into the event as
received, so that it is the one stored, shown, replayed and forwarded.
"""

from typing import Any
from uuid import UUID

from eventschema.ids import uuid7


def event_uuid(raw: dict[str, Any]) -> UUID:
    value = raw.get("uuid")
    if type(value) is str:
        try:
            return UUID(value)
        except ValueError:
            pass
    assigned = uuid7()
    raw["uuid"] = str(assigned)
    return assigned
