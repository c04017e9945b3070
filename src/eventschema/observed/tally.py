"""Counting what capture requests carry, in memory, between two flushes to the database.

This runs for every captured event, so the work per event is one tuple built, one dict look-up and one C-level
call: each event is reduced to its shape (its name, its property names and the JSON types of their values) and
counted by shape; everything known of a shape (its properties' counter slots, which are own strings, its example
values) is worked out once, when it is first seen in an interval, and the per-property work happens per shape at
the flush. Nothing allocated for an event outlives its request.

Own strings (values of properties whose name does not start with `$`, the SDK's) are looked into for a sample:
the first SAMPLED_EVENTS (or a few more) events of each shape in each interval. Their strings are picked in C
(`itemgetter`) onto the shape's pile and counted per distinct value (`Counter`) while still in the processor's
cache, each distinct value looked at once (`coercions.looks`: numeric, boolean or date-time as PostHog's
coercions read it), and the first few distinct values kept for enum suggestions. The shape's further events in
the interval only count, and their strings are counted with the looks of the sample, in its proportions. So the
numbers of events, of properties and of each JSON type are exact; the looks of strings and the values kept are
exact up to SAMPLED_EVENTS events of a shape per interval, and taken from that sample beyond (a new sample each
interval). Classifying every string of every event cost more than everything else observation does together.
The types and presence of `$` properties are counted; their strings are not looked into.

Examples are the values of a shape's first event in the interval (at most a flush interval old). Times are those
of the requests: a shape's first request, and the latest request of the interval for all.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, Final

from eventschema.observed import coercions
from eventschema.observed.coercions import looks

__all__ = ["looks"]

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
# Events of a shape per interval whose own strings are looked into (at least: sampling stops at the next check).
SAMPLED_EVENTS: Final = 16
# Events between two countings of the piles, after which the shapes sampled enough stop picking strings.
CHECK_EVENTS: Final = 2_000
# Past this many shapes in one interval (a client sending ever new keys), the observer flushes early.
MAX_SHAPES: Final = 20_000


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


class Strings:
    """An own string property of a shape: how many strings of each looks code, and the values kept."""

    __slots__ = ("kept", "name", "seen")

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen = [0] * coercions.CODES
        self.kept: set[str] = set()

    def count(self, column: Iterable[str]) -> None:
        seen, kept = self.seen, self.kept
        for value, n in Counter(column).items():
            seen[looks(value)] += n
            if len(kept) < KEPT_VALUES:
                kept.add(value[:VALUE_LENGTH])


class Shape:
    """Events of one project and name with the same property names and value types, since the last flush."""

    __slots__ = (
        "counting",
        "first_seen",
        "key",
        "marks",
        "name",
        "pile",
        "project_id",
        "properties",
        "sampled",
        "sampling",
        "strings",
    )

    def __init__(self, project_id: int, key: tuple[Any, ...], properties: dict[str, Any], at: datetime):
        self.project_id = project_id
        self.key = key
        self.name: str = key[0]
        self.first_seen = at
        # (property, counter slot or None, example) of each property but the gateway's own mark.
        self.properties = [
            (name, _SLOT_OF_TYPE.get(type(value)), example_of(value))
            for name, value in properties.items()
            if name != MARKED
        ]
        own = [name for name, value in properties.items() if type(value) is str and not name.startswith("$")]
        self.strings = [Strings(name) for name in own]
        # Events of the sample counted so far, and their own strings not counted yet (flat).
        self.sampled = 0
        self.pile: list[str] = []
        # A marker per event past the sample (the truth of its properties: a shared object, nothing allocated).
        self.marks: list[bool] = []
        # How an event is counted, as (add, pick): `add(pick(properties))`.
        self.counting: Entry = (self.marks.append, bool)
        self.sampling: Entry | None = None
        if own:
            self.sampling = (self.pile.extend if len(own) > 1 else self.pile.append, itemgetter(*own))

    @property
    def events(self) -> int:
        return self.sampled + len(self.marks)

    def count_pile(self) -> bool:
        """Count the piled strings and empty the pile; True once the sample is complete."""
        pile = self.pile
        if pile:
            width = len(self.strings)
            self.sampled += len(pile) // width
            for index, strings in enumerate(self.strings):
                strings.count(pile if width == 1 else pile[index::width])
            pile.clear()
        return self.sampled >= SAMPLED_EVENTS

    def looks_counts(self, strings: Strings) -> list[int]:
        """How many strings of each looks code the property had: those of the sample, and the further ones
        in the sample's proportions (largest remainders, so that the total is exact)."""
        seen, more = strings.seen, len(self.marks)
        if not more:
            return seen
        found = [code for code, count in enumerate(seen) if count]
        if len(found) == 1:  # all of the sample looked the same (the usual case)
            counts = list(seen)
            counts[found[0]] += more
            return counts
        total = sum(seen)
        counts = [count + count * more // total for count in seen]
        short = more - (sum(counts) - total)
        for code in sorted(found, key=lambda code: seen[code] * more % total, reverse=True)[:short]:
            counts[code] += 1
        return counts


Entry = tuple[Callable[[Any], None], Callable[[dict[str, Any]], Any]]
EventKey = tuple[int, str]
PropertyKey = tuple[int, str, str]
_TEXT_SLOTS: Final = (
    (NUMERIC_TEXT, coercions.NUMERIC),
    (BOOLEAN_TEXT, coercions.BOOLEAN),
    (DATETIME_TEXT, coercions.DATETIME),
)
# The counter slots each looks code adds to.
_SLOTS_OF_CODE: Final = tuple(tuple(slot for slot, bit in _TEXT_SLOTS if code & bit) for code in range(coercions.CODES))


@dataclass
class Tally:
    """What was seen since the last flush."""

    # Project id -> (name, property names..., value types...) -> how its shape counts an event.
    shapes: dict[int, dict[tuple[Any, ...], Entry]] = field(default_factory=dict)
    all_shapes: list[Shape] = field(default_factory=list)
    sampling: list[Shape] = field(default_factory=list)
    piled: int = 0
    last_seen: datetime | None = None

    @property
    def size(self) -> int:
        return len(self.all_shapes)

    def __bool__(self) -> bool:
        return bool(self.all_shapes)

    def observe(self, project_id: int, seen_at: datetime, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Count a request's events (name, properties); the dicts are only read, and nothing of them is kept but
        the own strings of a sample."""
        shapes = self.shapes.get(project_id)
        if shapes is None:
            shapes = self.shapes[project_id] = {}
        get = shapes.get
        for name, properties in events:
            entry = get((name, *properties, *map(type, properties.values())))
            if entry is None:  # the key is built again, rather than kept in a variable for every event
                key = (name, *properties, *map(type, properties.values()))
                entry = shapes[key] = self._new_shape(project_id, key, properties, seen_at)
            entry[0](entry[1](properties))
        self.last_seen = seen_at
        self.piled += len(events)
        if self.piled >= CHECK_EVENTS:
            self.count_piles()

    def _new_shape(self, project_id: int, key: tuple[Any, ...], properties: dict[str, Any], at: datetime) -> Entry:
        shape = Shape(project_id, key, properties, at)
        self.all_shapes.append(shape)
        if shape.sampling is None:
            return shape.counting
        self.sampling.append(shape)
        return shape.sampling

    def count_piles(self) -> None:
        """Count the sampled strings; shapes whose sample is complete count their further events only."""
        still = []
        for shape in self.sampling:
            if shape.count_pile():
                self.shapes[shape.project_id][shape.key] = shape.counting
            else:
                still.append(shape)
        self.sampling = still
        self.piled = 0

    def fold(self) -> tuple[dict[EventKey, EventTally], dict[PropertyKey, PropertyTally]]:
        """The counts by (project, event) and by (project, event, property)."""
        self.count_piles()
        events: dict[EventKey, EventTally] = {}
        properties: dict[PropertyKey, PropertyTally] = {}
        for shape in self.all_shapes:
            n = shape.events
            first_seen = shape.first_seen
            project_id, name = shape.project_id, shape.name
            event = events.get((project_id, name))
            if event is None:
                event = events[project_id, name] = EventTally(first_seen=first_seen)
            elif event.first_seen is None or first_seen < event.first_seen:
                event.first_seen = first_seen
            event.events += n
            for key, slot, example in shape.properties:
                tally = properties.get((project_id, name, key))
                if tally is None:
                    tally = properties[project_id, name, key] = PropertyTally(first_seen=first_seen)
                elif tally.first_seen is None or first_seen < tally.first_seen:
                    tally.first_seen = first_seen
                tally.events += n
                if slot is None:
                    continue
                tally.counts[slot] += n
                if example is not None:
                    tally.example = example
            for strings in shape.strings:
                tally = properties[project_id, name, strings.name]
                counts = tally.counts
                for code, count in enumerate(shape.looks_counts(strings)):
                    if count:
                        for slot in _SLOTS_OF_CODE[code]:
                            counts[slot] += count
                room = KEPT_VALUES - len(tally.values)
                if room > 0:
                    kept = strings.kept
                    tally.values.update(list(kept)[:room] if len(kept) > room else kept)
        return events, properties
