"""Counting what capture requests carry, in memory, between two flushes to the database.

This runs for every captured event, so the per-event work is kept to C-level operations: each event is reduced
to its shape (its name, its property names and the JSON types of their values) and counted by shape; shapes
repeat from request to request, so the work per property happens once per shape at each flush, not per event.
String values of properties whose name does not start with `$` (the SDK's own) are looked into too: each counts
towards how many looked numeric, boolean or like a date-time as PostHog's coercions would read them, and the first
few distinct values of each property are kept for enum suggestions. They are picked per event in C
(`itemgetter`), and counted per distinct value (`Counter`) when a shape's pile grows or at the flush; the looks
of a value are remembered by the process. The types and presence of `$` properties are counted; their strings are
not looked into.

Times are those of the requests: a shape's first request, and the latest request of the interval for all.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, Final

from eventschema.validation.checks import is_numeric_text
from eventschema.validation.datetimes import is_datetime_string

# Counter slots of a property, in the order of `repository.COUNTERS`.
NULL, STRING, NUMERIC, BOOLEAN, OBJECT, ARRAY, NUMERIC_TEXT, BOOLEAN_TEXT, DATETIME_TEXT = range(9)
SLOTS: Final = 9
_SLOT_OF_TYPE: Final[Mapping[type, int]] = {
    type(None): NULL,
    str: STRING,
    int: NUMERIC,
    float: NUMERIC,
    bool: BOOLEAN,
    dict: OBJECT,
    list: ARRAY,
}
# What the gateway adds to events it marks (`capture.triage.VIOLATIONS_KEY`): its own verdict, not traffic.
MARKED: Final = "$schema_violations"
EXAMPLE_LENGTH: Final = 200
# Distinct string values kept per property: one more than an enum suggestion may have, so that "more" is known.
KEPT_VALUES: Final = 11
VALUE_LENGTH: Final = 200

# The grammar of `is_numeric_text` (ASCII), which is then asked about finiteness.
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_DAY_NAMES: Final = frozenset({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"})
_LOOKS_REMEMBERED: Final = 100_000
_MEMO_LENGTH: Final = 64
# Looks of a string, as a code: 1 numeric + 2 boolean + 4 date-time.
LOOKS_CODES: Final = 8
_looks: dict[str, int] = {}


def looks(value: str) -> int:
    """The looks code of a string: which of PostHog's coercions (numeric, boolean, date-time) would accept it."""
    found = _looks.get(value)
    if found is not None:
        return found
    text = value.strip()
    first = text[:1]
    code = int(_NUMBER.fullmatch(text) is not None and is_numeric_text(text))
    if value == "true" or value == "false":
        code += 2
    if (first.isdigit() or text[:3].title() in _DAY_NAMES) and is_datetime_string(text):
        code += 4
    if len(value) <= _MEMO_LENGTH:
        if len(_looks) >= _LOOKS_REMEMBERED:
            _looks.clear()
        _looks[value] = code
    return code


def example_of(value: Any) -> Any:
    """What is kept as an example: strings cut to EXAMPLE_LENGTH characters; objects and arrays are not kept
    (None), as they can be of any size."""
    if type(value) is str:
        return value[:EXAMPLE_LENGTH]
    if type(value) is dict or type(value) is list:
        return None
    return value


@dataclass(slots=True)
class PropertyTally:
    events: int = 0
    counts: list[int] = field(default_factory=lambda: [0] * SLOTS)
    example: Any = None
    # Distinct string values (cut to VALUE_LENGTH), at most KEPT_VALUES of them.
    values: set[str] = field(default_factory=set)
    first_seen: datetime | None = None


@dataclass(slots=True)
class EventTally:
    events: int = 0
    first_seen: datetime | None = None


class Shape:
    """Events of one project and name with the same property names and value types, since the last flush."""

    __slots__ = ("count", "first_seen", "keys", "last", "name", "pending", "pick", "project_id", "strings")

    def __init__(self, project_id: int, name: str, properties: dict[str, Any], at: datetime):
        self.project_id = project_id
        self.name = name
        self.keys = tuple(properties)
        self.count = 0
        self.last = properties
        self.first_seen = at
        own = [key for key, value in properties.items() if type(value) is str and not key.startswith("$")]
        # Each own (not `$`) string property: how many strings of each looks code, and the values kept.
        self.strings: list[tuple[str, list[int], set[str]]] = [(key, [0] * LOOKS_CODES, set()) for key in own]
        # The own strings of each event since they were last counted: picked in C, counted per distinct value.
        self.pick: Callable[[dict[str, Any]], Any] | None = itemgetter(*own) if own else None
        self.pending: list[Any] = []

    def count_strings(self) -> None:
        """Count the pending strings into `strings`, per distinct value."""
        if not self.pending:
            return
        columns = [self.pending] if len(self.strings) == 1 else list(zip(*self.pending, strict=True))
        for (_, seen, kept), column in zip(self.strings, columns, strict=True):
            for value, n in Counter(column).items():
                seen[looks(value)] += n
                if len(kept) < KEPT_VALUES:
                    kept.add(value[:VALUE_LENGTH])
        self.pending.clear()


EventKey = tuple[int, str]
PropertyKey = tuple[int, str, str]
# Own strings of a shape held before they are counted (bounds the memory they keep alive between flushes).
PENDING_STRINGS: Final = 2048
# Past this many shapes in one interval (a client sending ever new keys), the observer flushes early.
MAX_SHAPES: Final = 20_000


@dataclass
class Tally:
    """What was seen since the last flush."""

    # Project id -> (name, property names..., value types...) -> shape.
    shapes: dict[int, dict[tuple[Any, ...], Shape]] = field(default_factory=dict)
    size: int = 0
    last_seen: datetime | None = None

    def __bool__(self) -> bool:
        return self.size > 0

    def observe(self, project_id: int, seen_at: datetime, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Count a request's events (name, properties); the dicts are only read (the last of each shape is kept
        until the flush, for its example values)."""
        shapes = self.shapes.get(project_id)
        if shapes is None:
            shapes = self.shapes[project_id] = {}
        get = shapes.get
        for name, properties in events:
            key = (name, *properties, *map(type, properties.values()))
            shape = get(key)
            if shape is None:
                shape = shapes[key] = Shape(project_id, name, properties, seen_at)
                self.size += 1
            shape.count += 1
            shape.last = properties
            if shape.pick is not None:
                pending = shape.pending
                pending.append(shape.pick(properties))
                if len(pending) >= PENDING_STRINGS:
                    shape.count_strings()
        self.last_seen = seen_at

    def fold(self) -> tuple[dict[EventKey, EventTally], dict[PropertyKey, PropertyTally]]:
        """The counts by (project, event) and by (project, event, property)."""
        events: dict[EventKey, EventTally] = {}
        properties: dict[PropertyKey, PropertyTally] = {}
        for shape in (shape for shapes in self.shapes.values() for shape in shapes.values()):
            shape.count_strings()
            n = shape.count
            strings = {prop: (seen, kept) for prop, seen, kept in shape.strings}
            event = events.get((shape.project_id, shape.name))
            if event is None:
                event = events[shape.project_id, shape.name] = EventTally(first_seen=shape.first_seen)
            event.events += n
            event.first_seen = min(event.first_seen or shape.first_seen, shape.first_seen)
            for key in shape.keys:
                if key == MARKED:
                    continue
                tally = properties.get((shape.project_id, shape.name, key))
                if tally is None:
                    tally = properties[shape.project_id, shape.name, key] = PropertyTally(first_seen=shape.first_seen)
                tally.events += n
                tally.first_seen = min(tally.first_seen or shape.first_seen, shape.first_seen)
                value = shape.last[key]
                slot = _SLOT_OF_TYPE.get(type(value))
                if slot is None:
                    continue
                tally.counts[slot] += n
                example = example_of(value)
                if example is not None:
                    tally.example = example
                if key in strings:
                    seen, kept = strings[key]
                    for code, count in enumerate(seen):
                        tally.counts[NUMERIC_TEXT] += count if code & 1 else 0
                        tally.counts[BOOLEAN_TEXT] += count if code & 2 else 0
                        tally.counts[DATETIME_TEXT] += count if code & 4 else 0
                    room = KEPT_VALUES - len(tally.values)
                    tally.values.update(list(kept)[:room] if len(kept) > room else kept)
        return events, properties
