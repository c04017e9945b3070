"""The complete, authoritative check for each property type, and how offending values are rendered.

These functions decide every case; the generated fast path (see `compiler`) only short-cuts the common exact
types and falls back to them, so the two can never disagree. Values are what a JSON decoder produces (dict,
list, str, int, float, bool, None); subclasses are accepted like their base type, bool excepted where the
rules exclude it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Final

from eventschema.validation.datetimes import is_datetime_string

Check = Callable[[object], bool]


def is_string(value: object) -> bool:
    """Every value can be read as a string, so a `String` property never fails its type."""
    return True


def is_numeric(value: object) -> bool:
    """A finite int or float (bool excluded), or a string accepted by `is_numeric_text`."""
    if isinstance(value, str):
        return is_numeric_text(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def is_numeric_text(text: str) -> bool:
    """A decimal number with optional sign, fraction and exponent, finite, once surrounding whitespace is stripped.

    The grammar is `[+-]?(digits[.[digits]] | .digits)([eE][+-]?digits)?` in ASCII. float() reads exactly that,
    plus nan/inf spellings (rejected as not finite, like "1e999" which overflows), underscores and non-ASCII
    digits (rejected before parsing). PostHog's JavaScript `Number()` would also take hex, octal and binary
    literals; no Rust or ClickHouse float parser reads those, so a producer relying on them breaks downstream
    anyway, and they are rejected too. Whitespace is what str.strip() removes (JavaScript's trim() differs only
    in rare characters such as U+FEFF).
    """
    text = text.strip()  # float() itself would not strip the ASCII separators \x1c-\x1f that str.strip() does
    if not text.isascii() or "_" in text:
        return False
    try:
        number = float(text)
    except ValueError:
        return False
    return number - number == 0.0  # false for NaN and both infinities


def is_boolean(value: object) -> bool:
    """True/False, or exactly the lower-case strings ClickHouse's boolean transform recognises."""
    return value is True or value is False or (isinstance(value, str) and value in ("true", "false"))


def is_datetime(value: object) -> bool:
    """Any number (read as a unix time), or a string in one of the shapes of `datetimes`."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and is_datetime_string(value)


def is_object(value: object) -> bool:
    """A JSON object or array; PostHog tests `typeof value === "object"`, which is true for both."""
    return isinstance(value, dict | list)


def is_any(value: object) -> bool:
    """Any value but null; null never reaches a check at the top level, where it means "missing"."""
    return value is not None


def is_array(value: object) -> bool:
    """A JSON array."""
    return isinstance(value, list)


CHECKS: Final[Mapping[str, Check]] = {
    "String": is_string,
    "Numeric": is_numeric,
    "Boolean": is_boolean,
    "DateTime": is_datetime,
    "Object": is_object,
    "Any": is_any,
    "Array": is_array,
}


def stringify(value: object) -> str | None:
    """Render an offending value for a violation record, the way PostHog's warnings do.

    None (missing or null) stays None and strings are kept as they are. Everything JSON can express is
    JSON-encoded compactly, so booleans read true/false, NaN reads NaN and non-ASCII text stays readable, as
    with JavaScript's JSON.stringify; other objects fall back to str(). Rendering must never make validation
    fail, hence the last resort.
    """
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, dict | list | tuple | int | float):
        return str(value)
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (ValueError, RecursionError):  # circular containers, ints beyond the str() digit limit, deep nesting
        return f"<unrenderable {type(value).__name__}>"
