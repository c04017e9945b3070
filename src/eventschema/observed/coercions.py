"""How a string looks to PostHog's coercions: numeric, boolean, like a date-time, as a code (1 + 2 + 4).

The same answers as `validation.checks.is_numeric_text`, the exact strings "true"/"false" and
`validation.datetimes.is_datetime_string`, in one C-level regular expression match for almost every string
(tested against them): a string that looks like nothing fails at its first characters, and a date-time is
matched once. The alternatives are ordered so that the first that matches says the whole code: digit-only
date-times (compact forms, unix timestamps) are numbers too, other date-times never are, and a number that could
be too large to be finite (an exponent, or a very long one) is checked with `float` as `is_numeric_text` does.
"""

import re
from typing import Final

from eventschema.validation.checks import is_numeric_text
from eventschema.validation.datetimes import COMPACT_OR_UNIX, ISO_DATETIME, RFC_2822

NUMERIC: Final = 1
BOOLEAN: Final = 2
DATETIME: Final = 4
CODES: Final = 8
# Numbers without an exponent this long or shorter are finite (1e300 is); longer ones are checked.
_SURELY_FINITE: Final = 300
# `is_numeric_text`'s grammar, written so that no string can be split between its parts in more than one way.
_MANTISSA: Final = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"

# `\s` and `str.strip()` agree on what is whitespace (both Py_UNICODE_ISSPACE); RFC 2822 is matched as its own
# pattern is, ASCII-only and ignoring case.
_LOOKS: Final = re.compile(
    "(true|false)"  # exactly: not stripped, as ClickHouse's boolean transform reads it
    r"|\s*(?:"
    f"({COMPACT_OR_UNIX.pattern})"
    f"|({ISO_DATETIME.pattern}|(?ai:{RFC_2822.pattern}))"
    f"|({_MANTISSA})([eE][+-]?[0-9]+)?"
    r")\s*"
)
_BOOLEAN_GROUP, _DIGIT_DATETIME_GROUP, _DATETIME_GROUP, _NUMBER_GROUP, _EXPONENT_GROUP = 1, 2, 3, 4, 5
_CODE_OF_GROUP: Final = (0, BOOLEAN, NUMERIC + DATETIME, DATETIME, NUMERIC, NUMERIC)
assert _LOOKS.groups == _EXPONENT_GROUP, "the patterns embedded must not capture"


def looks(value: str) -> int:
    """The looks code of a string: which of PostHog's coercions (numeric, boolean, date-time) would accept it."""
    match = _LOOKS.fullmatch(value)
    if match is None:
        return 0
    group = match.lastindex
    if group == _EXPONENT_GROUP or (group == _NUMBER_GROUP and len(value) > _SURELY_FINITE):
        return NUMERIC if is_numeric_text(value) else 0
    return _CODE_OF_GROUP[group or 0]
