"""Every accepted DateTime string shape, and the near misses around each of them."""

from __future__ import annotations

import pytest

from eventschema.validation import EventSpec, PropertySpec, compile_schemas
from eventschema.validation.datetimes import is_datetime_string

ACCEPTED = [
    # ISO 8601 / RFC 3339
    *("2024-05-01", "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.789Z", "2024-05-01T12:34:56.123456789Z"),
    *("2024-05-01T12:34:56+02:00", "2024-05-01T12:34:56-0800", "2024-05-01T12:34:56+05", "2024-05-01t12:34:56z"),
    *("2024-05-01T12:34", "2024-05-01T12:34Z", "2024-05-01T00:00:00.5+00:00", "2024-05-01T23:59:59.999999-23:59"),
    # ISO with a space: what Python's str(datetime) and most databases print
    *("2024-05-01 12:34:56", "2024-05-01 12:34:56.123456", "2024-05-01 12:34:56.123+00:00", "2024-05-01 12:34"),
    # calendar edges
    *("2024-02-29", "2000-02-29", "1900-02-28", "2023-12-31", "0001-01-01", "9999-12-31T23:59:59Z", "2024-04-30"),
    # compact and unix
    *("20240501", "20240229", "20240501123456", "20241231235959", "1714560000", "1714560000123", "0000000000"),
    # RFC 2822
    *("Tue, 1 Jul 2003 10:52:37 +0200", "Tue, 01 Jul 2003 10:52:37 GMT", "1 Jul 2003 10:52 UTC"),
    *(
        "wed, 31 dec 2025 23:59:59 -0000",
        "Thu,1 Feb 2024 00:00:00 Z",
        "29 Feb 2024 10:00:00 PDT",
        "1 JAN 2024 08:00 ut",
    ),
    *("Sun, 5 May 2024 10:00:00 EST", "5  May  2024  10:00  EDT", "Mon, 9 Sep 2024 09:09:09 cst"),
    # surrounding whitespace is stripped
    *(" 2024-05-01 ", "\t2024-05-01T12:34:56Z\n", " 1714560000 "),
]

REJECTED = [
    # invalid calendar dates and times
    *("2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-05-00", "0000-01-01"),
    *("2024-05-01T24:00:00", "2024-05-01T12:60:00", "2024-05-01T12:34:60", "2024-05-01T12:34:56+24:00"),
    *("2024-05-01T12:34:56+05:60", "20230229", "20240501240000", "20241301", "31 Apr 2024 10:00 GMT"),
    *("29 Feb 2023 10:00 GMT", "30 Feb 2024 10:00 GMT"),
    # wrong shapes
    *("2024-5-1", "2024/05/01", "24-05-01", "2024-05", "2024", "2024-05-01T", "2024-05-01T12", "2024-05-01T1:02:03"),
    *("2024-05-01T12:34:56.", "2024-05-01T12:34:56.1234567890Z", "2024-05-01T12:34:56,5Z", "2024-05-01_12:34"),
    *("2024-05-01T12:34:56+5", "2024-05-01T12:34:56+05:3", "2024-05-01T12:34:56 UTC", "2024-05-01Z"),
    *("2024-W18-3", "2024-122", "20240501T123456", "171456000", "17145600001", "171456000012345", "1714560000.5"),
    # RFC 2822 near misses
    *("Tue, 1 Jul 03 10:52:37 +0200", "Tue 1 Jul 2003 10:52:37 +0200", "Xyz, 1 Jul 2003 10:52:37 +0200"),
    *("1 July 2003 10:52:37 +0200", "1 Jul 2003 10:52:37", "1 Jul 2003 10:52:37 CET", "1 Jul 2003 10:52:37 +02:00"),
    *("1 Jul 2003 10:52:37 +2400", "1 Jul 2003 7:52:37 GMT", "001 Jul 2003 10:52 GMT", "0 Jul 2003 10:52 GMT"),
    # trailing or leading garbage, empty, non-ASCII digits
    *("2024-05-01x", "x2024-05-01", "2024-05-01T12:34:56Zx", "1714560000s", "Tue, 1 Jul 2003 10:52:37 +0200 x"),
    *("", "   ", "now", "today", "\uff12\uff10\uff12\uff14-05-01", "1714560000\x00"),
]


@pytest.mark.parametrize("text", ACCEPTED, ids=repr)
def test_accepted(text: str) -> None:
    assert is_datetime_string(text)


@pytest.mark.parametrize("text", REJECTED, ids=repr)
def test_rejected(text: str) -> None:
    assert not is_datetime_string(text)


@pytest.mark.parametrize(("text", "accepted"), [(t, True) for t in ACCEPTED] + [(t, False) for t in REJECTED], ids=repr)
def test_compiled_fast_path_gives_the_same_verdict(text: str, accepted: bool) -> None:
    """The generated code tries ISO strings through its own fast path first; it must not change the verdict."""
    spec = EventSpec("e", (PropertySpec("at", "DateTime", True), PropertySpec("opt", "DateTime", False)))
    for mode in ("posthog", "strict"):
        compiled = compile_schemas([spec], mode)
        assert (compiled.validate("e", {"at": text}) == ()) is accepted
    strict = compile_schemas([spec], "strict")
    assert (strict.validate("e", {"at": 0, "opt": text}) == ()) is accepted
