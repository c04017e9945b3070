"""What an upstream's answer means for the events it was about: delivered, to be sent again later, or refused.

Only a refusal that can be the events' fault counts as one: 408 and 429 say "later", and 401, 403, 404 and 405
say the URL or the API key is wrong, which no event can fix and every event would be blamed for; those are
retried like a 5xx until the upstream or the settings change.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final, Literal

from eventschema.capture.triage import MAX_DISTINCT_ID, MAX_NAME, VIOLATIONS_KEY, Rejected
from eventschema.capture.uuids import event_uuid

Kind = Literal["delivered", "retry", "refused"]
DELIVERED: Final = "delivered"
RETRY: Final = "retry"
REFUSED: Final = "refused"

REASON: Final = "upstream_rejected"
# How much of a refusal's body is kept with the event: enough for PostHog's error detail, not a whole page.
MAX_DETAIL_BYTES = 1024
NOT_THE_EVENTS_FAULT = frozenset({401, 403, 404, 405, 408, 429})
# The event's own keys; its other fields are kept beside them, as capture keeps them (the API key is not kept).
_OWN_KEYS: Final = frozenset({"event", "distinct_id", "properties", "api_key", "token"})


@dataclass(frozen=True, slots=True)
class Answer:
    kind: Kind
    status: int | None = None  # None when the upstream could not be reached
    retry_after: float | None = None
    detail: str = ""


def judge(status: int, retry_after: str | None, head: bytes) -> Answer:
    """The answer to one request: its status, its Retry-After header and the first bytes of its body."""
    if 200 <= status < 300:
        return Answer(DELIVERED, status)
    # PostgreSQL refuses NUL in text and JSON, and an upstream's error page may hold anything.
    detail = head[:MAX_DETAIL_BYTES].decode("utf-8", "replace").replace("\x00", "").strip()
    if 400 <= status < 500 and status not in NOT_THE_EVENTS_FAULT:
        return Answer(REFUSED, status, detail=detail)
    return Answer(RETRY, status, retry_after_seconds(retry_after, datetime.now(UTC)), detail)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def message(answer: Answer) -> str:
    return f"The upstream answered {answer.status}: {answer.detail}"


def quarantined(payload: dict[str, Any], answer: Answer) -> Rejected:
    """An outbox event the upstream refused, as the quarantine keeps it.

    The gateway's own `$schema_violations` mark is dropped: a replay checks the event again and marks it anew.
    """
    received = payload.get("properties")
    properties = {k: v for k, v in received.items() if k != VIOLATIONS_KEY} if type(received) is dict else {}
    distinct_id = payload.get("distinct_id")
    if distinct_id is None:
        distinct_id = properties.get("distinct_id")
    violation: dict[str, object] = {
        "property": "",
        "reason": REASON,
        "expected_types": [],
        "actual_value": None,
        "message": message(answer),
    }
    return Rejected(
        event=str(payload.get("event", ""))[:MAX_NAME],
        distinct_id=str(distinct_id if distinct_id is not None else "")[:MAX_DISTINCT_ID],
        properties=properties,
        fields={key: value for key, value in payload.items() if key not in _OWN_KEYS},
        violations=[violation],
        reasons=REASON,
        uuid=event_uuid(payload),
    )
