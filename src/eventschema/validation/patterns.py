"""The `pattern` rule: regular expressions in RE2 syntax, run by google-re2 in time linear in the input.

A pattern is searched for anywhere in the string unless it is anchored (`^...$`), as JSON Schema does. RE2
has no backtracking, so no pattern, however written, can make a check take super-linear time: an
adversarial event costs no more than a long one.

google-re2's public `search` decodes match offsets back to character positions in Python, which costs about
6 µs a call; we only need "found or not", so the compiled program's own `Match` is called on the UTF-8 text
(about 1 µs). `tests/validation` checks that this agrees with the public `search`; should a future
google-re2 drop that entry point, `compile_pattern` falls back to the public one.

That microsecond is still most of what a valid event with a few patterns costs, and the values patterns
check repeat (SKUs, codes, plan names), so each compiled pattern remembers its verdicts for up to
`MEMO_ENTRIES` strings of at most `MEMO_MAX_LENGTH` characters (forgetting them all when full): at most a
few hundred kilobytes per pattern, and a unique value (an order id) costs one dictionary miss more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import re2

Search = Callable[[str], bool]

MEMO_ENTRIES: Final = 1024
MEMO_MAX_LENGTH: Final = 64


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
    memo: dict[str, bool] = {}

    def search(text: str) -> bool:
        found = memo.get(text)
        if found is None:
            encoded = text.encode("utf-8", "surrogatepass")
            found = match(anchor, encoded, 0, len(encoded))[0][0] >= 0
            if len(text) <= MEMO_MAX_LENGTH:
                if len(memo) >= MEMO_ENTRIES:
                    memo.clear()
                memo[text] = found
        return found

    return search
