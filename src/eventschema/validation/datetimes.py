"""The date-time string grammar PostHog accepts for `DateTime` properties.

PostHog coerces `DateTime` properties with ClickHouse's best-effort parser, which accepts a string only if it
is consumed completely. We accept the documented subset of that parser (everything else is rejected):

- ISO 8601 / RFC 3339: ``YYYY-MM-DD``, optionally followed by ``T``/``t``/space and ``hh:mm[:ss[.f]]`` with
  1 to 9 fraction digits, optionally followed by ``Z``/``z`` or an offset ``±hh``, ``±hhmm`` or ``±hh:mm``;
- compact ``YYYYMMDD`` and ``YYYYMMDDhhmmss``;
- unix timestamps written as exactly 10 (seconds) or 13 (milliseconds) digits;
- RFC 2822: ``[Day,] D Mon YYYY hh:mm[:ss] zone`` where zone is ``±hhmm`` or one of UT, UTC, GMT, Z, EST, EDT,
  CST, CDT, MST, MDT, PST, PDT; names are case-insensitive and the weekday is not cross-checked (neither
  ClickHouse nor Python's email parser does).

Calendar validity is part of the grammar: years 0001-9999, days per month, 29 February only in leap years,
hours 00-23, minutes and seconds 00-59 (no leap second, as in Python's datetime). Surrounding whitespace is
stripped first, as PostHog trims before parsing. Each shape is one regular expression with the calendar rules
spelled out in the pattern, so a check is at most three C-level matches and no Python arithmetic.
"""

from __future__ import annotations

import re
from typing import Final

_DAY_1_28: Final = "(?:0[1-9]|1[0-9]|2[0-8])"
_DAY_1_30: Final = "(?:0[1-9]|[12][0-9]|30)"
_DAY_1_31: Final = "(?:0[1-9]|[12][0-9]|3[01])"
_YEAR: Final = "(?!0000)[0-9]{4}"
# A leap year is divisible by 4 and not by 100, unless by 400; "0000" is excluded by _YEAR's look-ahead.
_LEAP_YEAR: Final = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
HOUR: Final = "(?:[01][0-9]|2[0-3])"
MIN_SEC: Final = "[0-5][0-9]"


def numeric_date(sep: str) -> str:
    """A calendar-valid year, month and day, separated by `sep` (empty for the compact form)."""
    month_day = f"(?:(?:0[13578]|1[02]){sep}{_DAY_1_31}|(?:0[469]|11){sep}{_DAY_1_30}|02{sep}{_DAY_1_28})"
    return f"(?:{_YEAR}{sep}{month_day}|(?!0000){_LEAP_YEAR}{sep}02{sep}29)"


_ISO_TIME: Final = f"{HOUR}:{MIN_SEC}(?::{MIN_SEC}(?:\\.[0-9]{{1,9}})?)?"
_ISO_OFFSET: Final = f"(?:[Zz]|[+-]{HOUR}(?::?{MIN_SEC})?)"
ISO_DATETIME: Final = re.compile(f"{numeric_date('-')}(?:[Tt ]{_ISO_TIME}{_ISO_OFFSET}?)?")
"""ISO 8601 / RFC 3339 as written by SDKs; the engine's fast path tries it before anything else."""

COMPACT_OR_UNIX: Final = re.compile(
    f"{numeric_date('')}(?:{HOUR}{MIN_SEC}{MIN_SEC})?|[0-9]{{10}}|[0-9]{{13}}",
    re.ASCII,
)
"""``YYYYMMDD[hhmmss]`` and 10- or 13-digit unix timestamps."""

_DAY_NAME: Final = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_RFC_DAY_1_28: Final = "(?:0?[1-9]|1[0-9]|2[0-8])"
_RFC_DAY_MONTH_YEAR: Final = (
    "(?:"
    f"(?:{_RFC_DAY_1_28}|29|30|31) +(?:Jan|Mar|May|Jul|Aug|Oct|Dec) +{_YEAR}"
    f"|(?:{_RFC_DAY_1_28}|29|30) +(?:Apr|Jun|Sep|Nov) +{_YEAR}"
    f"|{_RFC_DAY_1_28} +Feb +{_YEAR}"
    f"|29 +Feb +(?!0000){_LEAP_YEAR}"
    ")"
)
_RFC_ZONE: Final = f"(?:[+-]{HOUR}{MIN_SEC}|UTC?|GMT|Z|[ECMP][SD]T)"
RFC_2822: Final = re.compile(
    f"(?:{_DAY_NAME}, *)?{_RFC_DAY_MONTH_YEAR} +{HOUR}:{MIN_SEC}(?::{MIN_SEC})? +{_RFC_ZONE}",
    re.ASCII | re.IGNORECASE,
)
"""RFC 2822 as in e-mail and HTTP headers; must be matched case-insensitively."""


def is_datetime_string(value: str) -> bool:
    """True if `value`, once stripped, is completely one of the accepted date-time shapes."""
    text = value.strip()
    return (
        ISO_DATETIME.fullmatch(text) is not None
        or COMPACT_OR_UNIX.fullmatch(text) is not None
        or RFC_2822.fullmatch(text) is not None
    )
