"""The `format` rule: exactly which strings each format accepts. Each is one precompiled, anchored regular
expression of our own (no user input reaches it) without ambiguous repetition, so a check is one C-level
match, linear in the length of the string. Everything is ASCII; anything not described is rejected.

- ``email``: ``local@domain``. The local part is one or more dot-separated runs of the RFC 5322 `atext`
  characters (letters, digits and ``!#$%&'*+/=?^_`{|}~-``), so no leading, trailing or doubled dot and no
  quoted form; at most 64 characters. The domain is one or more dot-separated labels of letters, digits and
  hyphens, each 1-63 characters, not starting or ending with a hyphen (``user@localhost`` is accepted; IP
  literals are not). At most 254 characters in all.
- ``uri``: an absolute URI as RFC 3986 spells one: a scheme (a letter, then letters, digits, ``+``, ``-``,
  ``.``), a colon, then only characters RFC 3986 allows (unreserved, reserved, and ``%`` followed by two hex
  digits). Relative references, spaces and non-ASCII characters are rejected; the structure after the
  scheme (authority, port) is not checked further.
- ``uuid``: RFC 9562's text form, 8-4-4-4-12 hexadecimal digits, either case, any version or variant.
- ``date``: RFC 3339 ``full-date`` ``YYYY-MM-DD``, calendar-valid (years 0001-9999, 29 February only in leap
  years).
- ``date-time``: RFC 3339 ``date-time``: a ``date``, ``T`` or ``t``, ``hh:mm:ss`` with an optional fraction of
  1 to 9 digits, and a required offset ``Z``/``z`` or ``±hh:mm``; hours 00-23, minutes and seconds 00-59 (no
  leap second, as for `DateTime` properties).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

from eventschema.validation.datetimes import HOUR, MIN_SEC, numeric_date

_ATEXT: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL: Final = re.compile(
    rf"(?=[^@]{{1,64}}@)(?=.{{3,254}}\Z){_ATEXT}+(?:\.{_ATEXT}+)*@{_LABEL}(?:\.{_LABEL})*", re.ASCII | re.DOTALL
)
_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_UUID: Final = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_DATE: Final = re.compile(numeric_date("-"))
_DATE_TIME: Final = re.compile(
    rf"{numeric_date('-')}[Tt]{HOUR}:{MIN_SEC}:{MIN_SEC}(?:\.[0-9]{{1,9}})?(?:[Zz]|[+-]{HOUR}:{MIN_SEC})"
)

FORMAT_CHECKS: Final[Mapping[str, Callable[[str], re.Match[str] | None]]] = {
    "email": _EMAIL.fullmatch,
    "uri": _URI.fullmatch,
    "uuid": _UUID.fullmatch,
    "date": _DATE.fullmatch,
    "date-time": _DATE_TIME.fullmatch,
}
"""Format name -> a function returning a match (truthy) when the whole string has that format."""
