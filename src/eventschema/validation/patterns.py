"""The `pattern` rule: regular expressions in RE2 syntax, run by google-re2 in time linear in the input.

A pattern is searched for anywhere in the string unless it is anchored (`^...$`), as JSON Schema does. RE2
has no backtracking, so no pattern, however written, can make a check take super-linear time: an
adversarial event costs no more than a long one.

google-re2's public `search` decodes match offsets back to character positions in Python, which costs about
6 µs a call; we only need "found or not", so the compiled program's own `Match` is called on the UTF-8 text
(about 1 µs). `tests/validation` checks that this agrees with the public `search`; should a future
google-re2 drop that entry point, `compile_pattern` falls back to the public one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2  # type: ignore[import-untyped]

Search = Callable[[str], bool]


def _options() -> Any:
    options = re2.Options()
    options.never_capture = True  # groups are never read: cheaper programs, no spans to return
    return options


def compile_pattern(pattern: str) -> Search:
    """A function telling whether `pattern` occurs in a string. Raises ValueError if it does not compile."""
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as error:
        raise ValueError(f"invalid pattern {pattern!r}: {error}") from None
    program = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if program is None or anchor is None or not hasattr(program, "Match"):
        public_search = compiled.search
        return lambda text: public_search(text) is not None
    match = program.Match

    def search(text: str) -> bool:
        encoded = text.encode("utf-8", "surrogatepass")
        found: bool = match(anchor, encoded, 0, len(encoded))[0][0] >= 0
        return found

    return search
