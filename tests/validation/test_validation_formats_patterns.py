"""The `format` definitions, and `pattern` run through RE2: agreement with google-re2's public API, linear
time on adversarial input, bounded memory of remembered verdicts."""

from __future__ import annotations

import time

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from eventschema.validation.formats import FORMAT_CHECKS
from eventschema.validation.patterns import MEMO_ENTRIES, MEMO_MAX_LENGTH, compile_pattern

ACCEPTED = {
    "email": [
        "ada@example.com",
        "a.b+c_d-e@sub.example.co",
        "x@localhost",
        "!#$%&'*+/=?^_`{|}~-@a1-b2.c",
        "a" * 64 + "@example.com",
    ],
    "uri": ["https://example.com", "mailto:ada@example.com", "urn:isbn:0451450523", "h://a/%20b?c=d#e", "x:"],
    "uuid": [
        "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50",
        "00000000-0000-0000-0000-000000000000",
        "ABCDEF01-2345-6789-ABCD-EF0123456789",
    ],
    "date": ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"],
    "date-time": [
        "2024-05-01T12:34:56Z",
        "2024-05-01t12:34:56z",
        "2024-05-01T12:34:56.123456789+05:30",
        "2024-05-01T23:59:59-00:00",
    ],
}
REJECTED = {
    "email": [
        "",
        "ada",
        "@example.com",
        "ada@",
        "ada@@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "a..b@example.com",
        "ada@-example.com",
        "ada@example-.com",
        "ada@example..com",
        "ada @example.com",
        "ada@exa mple.com",
        '"ada"@example.com',
        "ada@[127.0.0.1]",
        "adä@example.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 64 + ".com",
        "a@" + ".".join(["b" * 60] * 5),
        "ada@example.com\n",
    ],
    "uri": [
        "",
        "example.com",
        "/path",
        "//example.com",
        "1http://x",
        "http://exa mple.com",
        "http://é.com",
        "h:%zz",
        "h:\n",
    ],
    "uuid": [
        "",
        "018f3a6c1c2b7d3e9f005b1c2d3e4f50",
        "{018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50}",
        "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f5g",
        "018f3a6c-1c2b-7d3e-9f00-5b1c2d3e4f50\n",
    ],
    "date": [
        "",
        "2023-02-29",
        "1900-02-29",
        "0000-01-01",
        "2024-13-01",
        "2024-04-31",
        "2024-5-1",
        "20240501",
        "2024-05-01T00:00:00Z",
        "2024-05-01\n",
    ],
    "date-time": [
        "2024-05-01",
        "2024-05-01T12:34:56",
        "2024-05-01 12:34:56Z",
        "2024-05-01T12:34Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T12:60:00Z",
        "2024-05-01T23:59:60Z",
        "2024-05-01T12:34:56.Z",
        "2024-05-01T12:34:56.1234567890Z",
        "2024-05-01T12:34:56+0530",
        "2024-05-01T12:34:56+05",
        "2023-02-29T00:00:00Z",
        "2024-05-01T12:34:56Z\n",
    ],
}


@pytest.mark.parametrize(
    ("fmt", "text", "accepted"),
    [(f, t, True) for f, ts in ACCEPTED.items() for t in ts]
    + [(f, t, False) for f, ts in REJECTED.items() for t in ts],
    ids=repr,
)
def test_formats(fmt: str, text: str, accepted: bool) -> None:
    assert (FORMAT_CHECKS[fmt](text) is not None) is accepted


PATTERNS = [
    "^[A-Z]{3}-[0-9]+$",
    "b",
    "^$",
    "é.",
    "(?i)abc",
    "^\\d{2,4}$",
    "a|b|^c",
    "\\bword\\b",
    "^(?:x|yz)*$",
    ".",
    "",
]


@settings(max_examples=1000, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS),
    text=st.text(max_size=12) | st.sampled_from(("ABC-12", "abc", "é€", "word up", "xyzx")),
)
def test_patterns_agree_with_google_re2s_public_search(pattern: str, text: str) -> None:
    """The direct call into the compiled program finds what re2.search finds, remembered or not."""
    search = compile_pattern(pattern)
    expected = re2.search(pattern, text) is not None
    assert search(text) is expected
    assert search(text) is expected


def test_patterns_run_in_linear_time_on_adversarial_input() -> None:
    """Nested quantifiers that take a backtracking engine exponential time are one pass for RE2."""
    search = compile_pattern("^(a+)+$")
    text = "a" * 100_000 + "!"
    start = time.perf_counter()
    assert search(text) is False
    assert time.perf_counter() - start < 1.0


def test_remembered_verdicts_are_bounded() -> None:
    search = compile_pattern("^x")
    for i in range(3 * MEMO_ENTRIES):
        assert search(f"x{i}") is True
        assert search(f"y{i}") is False
    long_text = "x" * (MEMO_MAX_LENGTH + 1)
    assert search(long_text) is True
    assert search(long_text) is True
    closure = search.__closure__ or ()
    memo = next(cell.cell_contents for cell in closure if isinstance(cell.cell_contents, dict))
    assert len(memo) <= MEMO_ENTRIES
    assert long_text not in memo
