"""Counting in memory: the same counts whether strings are counted at once or as they pile up, shapes kept apart
by their value types, and the gateway's own `$schema_violations` left out."""

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
    monkeypatch.setattr(tally, "PENDING_STRINGS", pending)
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
