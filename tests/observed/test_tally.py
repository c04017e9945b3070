"""Counting in memory: the same counts whether strings are counted at once or as they pile up, shapes kept apart
by their value types, the gateway's own `$schema_violations` left out, and strings past a shape's sample counted
in the sample's proportions while every type and presence stays exact."""

import sys
from datetime import UTC, datetime

import pytest

from eventschema.observed import tally
from eventschema.observed.tally import BOOLEAN_TEXT, DATETIME_TEXT, NUMERIC, NUMERIC_TEXT, STRING, Tally

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)


def _events() -> list[tuple[str, dict[str, object]]]:
    return [("e", {"a": str(i % 13), "b": "true" if i % 2 else "x", "$lib": "web", "n": i}) for i in range(50)] + [
        ("e", {"a": 5, "at": "2026-11-30"}),
        ("e", {"$schema_violations": []}),
    ]


@pytest.mark.parametrize("pending", [1, 7, 2048])
def test_counts_do_not_depend_on_when_strings_are_counted(monkeypatch: pytest.MonkeyPatch, pending: int) -> None:
    monkeypatch.setattr(tally, "CHECK_EVENTS", pending)
    monkeypatch.setattr(tally, "SAMPLED_EVENTS", 100)  # every event of the shape is in its sample
    counted = Tally()
    events = _events()
    counted.observe(1, NOW, events[:20])
    counted.observe(1, NOW, events[20:])

    totals, properties = counted.fold()

    assert totals[1, "e"].events == 52
    a = properties[1, "e", "a"]
    assert (a.events, a.counts[STRING], a.counts[NUMERIC], a.counts[NUMERIC_TEXT]) == (51, 50, 1, 50)
    assert len(a.values) == tally.KEPT_VALUES
    b = properties[1, "e", "b"]
    assert (b.counts[BOOLEAN_TEXT], sorted(b.values)) == (25, ["true", "x"])
    assert properties[1, "e", "at"].counts[DATETIME_TEXT] == 1
    lib = properties[1, "e", "$lib"]
    assert (lib.counts[STRING], lib.counts[NUMERIC_TEXT], lib.values) == (50, 0, set())  # `$` strings not looked into
    assert (1, "e", "$schema_violations") not in properties


def test_nothing_of_an_event_is_kept_but_its_own_strings() -> None:
    """The request's dicts are not held after it (the garbage collector would walk them until the flush), and
    examples are the values of a shape's first event in the interval."""
    events = [("e", {"s": f"v{i}", "n": i, "o": {"deep": [i]}, "$lib": "web"}) for i in range(3)] + [("f", {})]
    held = [sys.getrefcount(properties) for _, properties in events]
    counted = Tally()

    counted.observe(1, NOW, events)

    assert [sys.getrefcount(properties) for _, properties in events] == held
    totals, properties = counted.fold()
    assert (totals[1, "e"].events, totals[1, "f"].events) == (3, 1)
    assert [properties[1, "e", name].example for name in ("s", "n", "o", "$lib")] == ["v0", 0, None, "web"]
    assert properties[1, "e", "s"].values == {"v0", "v1", "v2"}


def test_strings_past_the_sample_are_counted_in_its_proportions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tally, "CHECK_EVENTS", 1)
    monkeypatch.setattr(tally, "SAMPLED_EVENTS", 4)
    counted = Tally()
    sample = [("e", {"at": "2026-11-30", "plan": "pro" if i % 4 else "12"}) for i in range(4)]
    further = [("e", {"at": "soon", "plan": "team"}) for _ in range(7)] + [("e", {"at": 1, "plan": None})]
    counted.observe(1, NOW, sample)  # complete: the shape counts its further events only
    counted.observe(1, NOW, further)

    totals, properties = counted.fold()

    assert totals[1, "e"].events == 12
    at, plan = properties[1, "e", "at"], properties[1, "e", "plan"]
    assert (at.events, at.counts[STRING], at.counts[NUMERIC], at.counts[DATETIME_TEXT]) == (12, 11, 1, 11)
    assert (plan.events, plan.counts[STRING], plan.counts[tally.NULL]) == (12, 11, 1)
    # 1 of 4 looked numeric in the sample: 7 more strings add 7 * 1/4, rounded to the largest remainder (2).
    assert plan.counts[NUMERIC_TEXT] == 1 + 2
    assert plan.values == {"pro", "12"}
