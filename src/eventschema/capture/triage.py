"""Sorting a batch of raw events into accepted and quarantined ones, with the violations to count.

Pure and per event: no Pydantic, no copies beyond what a stored event needs, because this loop runs for every
captured event. A malformed event (not an object, no name, no distinct id, properties not an object) makes the
whole request a 400, as PostHog's capture does, so nothing of it is half-stored. An event whose content cannot be
stored as sent (NUL characters, nesting beyond `storable.MAX_DEPTH`) is quarantined alone as `invalid_event`, in a
repaired copy, and the rest of its batch goes on. A `$schema_violations` sent by the client is dropped: only the
gateway's own verdict is ever stored or forwarded under that name.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from eventschema.capture import storable
from eventschema.capture.decoding import invalid
from eventschema.capture.uuids import event_uuid
from eventschema.enforcement.plan import FORWARD, MARK, ProjectPlan
from eventschema.validation import Violation

VIOLATIONS_KEY: Final = "$schema_violations"
MAX_NAME = 400
MAX_DISTINCT_ID = 200
# What an event carries besides these is kept as its other fields; the project API key is not kept.
_OWN_KEYS: Final = frozenset({"event", "distinct_id", "properties", "api_key", "token"})


@dataclass(slots=True)
class Accepted:
    event: str
    distinct_id: str
    properties: dict[str, Any]
    timestamp: datetime
    # The event as received (its properties possibly marked), as forwarded upstream.
    raw: dict[str, Any]
    uuid: str


@dataclass(slots=True)
class Rejected:
    event: str
    distinct_id: str
    properties: dict[str, Any]
    fields: dict[str, Any]
    violations: list[dict[str, object]]
    reasons: str
    uuid: str


@dataclass(slots=True)
class Triage:
    accepted: list[Accepted] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    # (event, property, reason) -> how many events had that violation.
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    names: set[str] = field(default_factory=set)


def triage(plan: ProjectPlan, events: list[Any], received_at: datetime, check_nul: bool = True) -> Triage:
    """`check_nul=False` when the events cannot hold a NUL (as `Payload.may_hold_nul` can tell cheaply)."""
    result = Triage()
    # Events are looked at one by one only when the whole batch may hold something the stores cannot.
    suspect = check_nul or not storable.batch_fits(events)
    for index, raw in enumerate(events):
        if type(raw) is not dict:
            raise invalid("Each event must be an object.", attr=f"batch__{index}")
        name = raw.get("event")
        if type(name) is not str or not name or len(name) > MAX_NAME:
            raise invalid(f"Each event needs an 'event' name of 1 to {MAX_NAME} characters.", f"batch__{index}__event")
        properties = raw.get("properties")
        if properties is None:
            properties = raw["properties"] = {}
        elif type(properties) is not dict:
            raise invalid("An event's properties must be an object.", attr=f"batch__{index}__properties")
        distinct_id = _distinct_id(raw, properties, index)
        if VIOLATIONS_KEY in properties:
            del properties[VIOLATIONS_KEY]
        uuid = event_uuid(raw)
        if suspect and not storable.event_fits(raw, check_nul) and _quarantine_invalid(result, raw, uuid):
            continue
        result.names.add(name)
        action, violations = plan.check(name, properties)
        if action == FORWARD:
            result.accepted.append(
                Accepted(name, distinct_id, properties, timed(raw, properties, received_at), raw, uuid)
            )
            continue
        _count(result.counts, name, violations)
        records = [violation.to_dict() for violation in violations]
        if action == MARK:
            properties[VIOLATIONS_KEY] = records
            result.accepted.append(
                Accepted(name, distinct_id, properties, timed(raw, properties, received_at), raw, uuid)
            )
        else:
            fields = {key: value for key, value in raw.items() if key not in _OWN_KEYS}
            result.rejected.append(Rejected(name, distinct_id, properties, fields, records, reasons(violations), uuid))
    return result


def _quarantine_invalid(result: Triage, raw: dict[str, Any], uuid: str) -> bool:
    """Quarantine a repaired copy of an event that cannot be stored as sent; False if it can after all."""
    copy, records = storable.repair(raw)
    if not records:
        return False
    fields = {key: value for key, value in copy.items() if key not in _OWN_KEYS}
    distinct_id = _distinct_id(copy, copy["properties"], 0)
    result.rejected.append(
        Rejected(copy["event"], distinct_id, copy["properties"], fields, records, storable.INVALID_EVENT, uuid)
    )
    return True


def _distinct_id(raw: dict[str, Any], properties: dict[str, Any], index: int) -> str:
    value = raw.get("distinct_id")
    if value is None:
        value = properties.get("distinct_id")
    if type(value) is str and value:
        return value[:MAX_DISTINCT_ID]
    if type(value) is int or type(value) is float:
        return str(value)
    raise invalid("Each event needs a 'distinct_id'.", attr=f"batch__{index}__distinct_id")


def timed(raw: dict[str, Any], properties: dict[str, Any], received_at: datetime) -> datetime:
    """The event's time; a time field that cannot be used is kept in the properties as `$ignored_<field>`."""
    timestamp, ignored = event_time(raw, received_at)
    if ignored is not None:
        properties[f"$ignored_{ignored}"] = raw[ignored]
    return timestamp


def event_time(raw: dict[str, Any], received_at: datetime) -> tuple[datetime, str | None]:
    """The event's `timestamp` (ISO 8601; UTC if it names no zone), else received_at minus its `offset` (ms).

    As in PostHog, a time that cannot be used (not a time, or outside the dates that can be stored once in UTC)
    gives way to the receive time; the name of the field ignored is returned with it.
    """
    value = raw.get("timestamp")
    field = "timestamp"
    try:
        if value is not None:
            if type(value) is str:
                parsed = datetime.fromisoformat(value)
                zone = parsed.tzinfo
                if zone is UTC:  # "Z" or "+00:00", as SDKs send it: nothing to convert
                    return parsed, None
                return (parsed.astimezone(UTC) if zone is not None else parsed.replace(tzinfo=UTC)), None
        else:
            value = raw.get("offset")
            field = "offset"
            if value is None:
                return received_at, None
            if type(value) is int:
                return received_at - timedelta(milliseconds=value), None
    except (ValueError, OverflowError):
        pass
    return received_at, field


def reasons(violations: Sequence[Violation]) -> str:
    return ",".join(sorted({violation.reason for violation in violations}))


def _count(counts: Counter[tuple[str, str, str]], name: str, violations: Sequence[Violation]) -> None:
    for violation in violations:
        counts[name, violation.property[:MAX_NAME], violation.reason] += 1
