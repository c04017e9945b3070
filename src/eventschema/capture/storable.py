"""What the stores and pages can hold: no NUL characters, and at most MAX_DEPTH levels of nesting in an event.

PostgreSQL's text and JSONB refuse U+0000. orjson writes at most 254 levels (and reads 1,024), and a page wraps
each event in a few more; MAX_DEPTH leaves room for every wrapping on the way (event log and quarantine pages,
the outbox's batches). An event's properties object is level 1, as is each of its other fields' values.

The checks cost next to nothing when there is nothing to find: the body is searched once for an escaped NUL, and a
whole batch's depth is tested by one orjson serialisation inside a wrapper that leaves exactly MAX_DEPTH levels to
the events' values. Only when either says so is each event looked at, and only the culprits are walked in Python.
"""

from typing import Any, Final

import orjson

MAX_DEPTH: Final = 100
INVALID_EVENT: Final = "invalid_event"
TRUNCATED: Final = f"[nested deeper than {MAX_DEPTH} levels]"
NUL_MESSAGE: Final = "Contains NUL characters (U+0000), which cannot be stored; they were replaced with U+FFFD."
DEEP_MESSAGE: Final = f"Nested deeper than {MAX_DEPTH} levels; what lies deeper was replaced with a marker."

_ORJSON_DEPTH = 254
_NUL = "\x00"
_REPLACEMENT = "\ufffd"


def _probe(levels: int) -> tuple[list[Any], list[Any]]:
    """`levels` nested lists, and the innermost one (its hole), where the value to test goes."""
    hole: list[Any] = [None]
    outer = hole
    for _ in range(levels - 1):
        outer = [outer]
    return outer, hole


# A batch (a list of events, each an object holding the values) gets 2 levels; a lone event 1.
_BATCH_PROBE = _probe(_ORJSON_DEPTH - MAX_DEPTH - 2)
_EVENT_PROBE = _probe(_ORJSON_DEPTH - MAX_DEPTH - 1)


def may_hold_nul(body: bytes | bytearray) -> bool:
    """Whether the JSON text may decode to a NUL: JSON can only carry one escaped (a backslash is rare in
    captured events, and its search runs at memory speed)."""
    return b"\\" in body and b"\\u0000" in body


def _fits(value: Any, probe: tuple[list[Any], list[Any]]) -> bytes | None:
    outer, hole = probe
    hole[0] = value
    try:
        return orjson.dumps(outer)
    except orjson.JSONEncodeError:
        return None
    finally:
        hole[0] = None


def batch_fits(events: list[Any]) -> bool:
    """False if some event of the batch may nest deeper than MAX_DEPTH."""
    return _fits(events, _BATCH_PROBE) is not None


def event_fits(event: Any, check_nul: bool) -> bool:
    """False if the event nests deeper than MAX_DEPTH or (when `check_nul`) holds a NUL."""
    dumped = _fits(event, _EVENT_PROBE)
    return dumped is not None and not (check_nul and b"\\u0000" in dumped)


def repair(event: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, object]]]:
    """A copy of the event that can be stored (NULs replaced, what lies too deep replaced with TRUNCATED), and an
    `invalid_event` violation per kind of problem, naming the first field (or property) where it was found."""
    found: dict[str, str] = {}
    copy: dict[str, Any] = {}
    for key, value in event.items():
        kinds: set[str] = set()
        name = _text(key, kinds)
        if name == "properties" and type(value) is dict:
            properties: dict[str, Any] = {}
            for prop, inner in value.items():
                inner_kinds: set[str] = set()
                prop_name = _text(prop, inner_kinds)
                properties[prop_name] = _clean(inner, 2, inner_kinds)
                for kind in inner_kinds:
                    found.setdefault(kind, f"properties.{prop_name}")
            copy[name] = properties
        else:
            copy[name] = _clean(value, 1, kinds)
        for kind in kinds:
            found.setdefault(kind, name)
    violations: list[dict[str, object]] = [
        {"property": found[kind], "reason": INVALID_EVENT, "expected_types": [], "actual_value": None, "message": kind}
        for kind in (NUL_MESSAGE, DEEP_MESSAGE)
        if kind in found
    ]
    return copy, violations


def truncate(value: Any) -> Any:
    """`value` (level 1) with what lies deeper than MAX_DEPTH replaced with TRUNCATED."""
    return _clean(value, 1, set())


def _text(value: str, kinds: set[str]) -> str:
    if _NUL in value:
        kinds.add(NUL_MESSAGE)
        return value.replace(_NUL, _REPLACEMENT)
    return value


def _clean(value: Any, level: int, kinds: set[str]) -> Any:
    kind = type(value)
    if kind is str:
        return _text(value, kinds)
    if kind is dict or kind is list:
        if level > MAX_DEPTH:
            kinds.add(DEEP_MESSAGE)
            return TRUNCATED
        if kind is list:
            return [_clean(item, level + 1, kinds) for item in value]
        return {_text(key, kinds): _clean(item, level + 1, kinds) for key, item in value.items()}
    return value
