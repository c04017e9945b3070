"""A slow, literal reading of the validation rules, written independently of the engine.

The engine compiles regular expressions and generated code; this module spells the same rules out with plain
conditionals, string slicing and datetime constructors, so a property test can compare the two on arbitrary
schemas and events. Nothing here is imported from eventschema.validation except the input dataclasses.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Mapping

from eventschema.validation import EventSpec

DIGITS = "0123456789"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RFC_ZONE_NAMES = ("ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt")
DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def all_digits(text: str, *lengths: int) -> bool:
    return len(text) in lengths and all(c in DIGITS for c in text)


def valid_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def valid_time(hour: int, minute: int, second: int) -> bool:
    return 0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59


def offset_ok(hours: str, minutes: str) -> bool:
    return all_digits(hours, 2) and all_digits(minutes, 2) and int(hours) <= 23 and int(minutes) <= 59


def iso_offset(text: str) -> bool:
    if text in ("Z", "z"):
        return True
    if text[:1] not in ("+", "-"):
        return False
    body = text[1:]
    if len(body) == 2:
        return offset_ok(body, "00")
    if len(body) == 4:
        return offset_ok(body[:2], body[2:])
    if len(body) == 5 and body[2] == ":":
        return offset_ok(body[:2], body[3:])
    return False


def iso(text: str) -> bool:
    date, rest = text[:10], text[10:]
    if len(date) != 10 or date[4] != "-" or date[7] != "-":
        return False
    if not (all_digits(date[:4], 4) and all_digits(date[5:7], 2) and all_digits(date[8:], 2)):
        return False
    if not valid_date(int(date[:4]), int(date[5:7]), int(date[8:])):
        return False
    if rest == "":
        return True
    if rest[0] not in ("T", "t", " "):
        return False
    rest = rest[1:]
    if len(rest) < 5 or rest[2] != ":" or not all_digits(rest[:2], 2) or not all_digits(rest[3:5], 2):
        return False
    hour, minute, second = int(rest[:2]), int(rest[3:5]), 0
    rest = rest[5:]
    if rest.startswith(":"):
        if not all_digits(rest[1:3], 2):
            return False
        second = int(rest[1:3])
        rest = rest[3:]
        if rest.startswith("."):
            end = 1
            while end < len(rest) and rest[end] in DIGITS:
                end += 1
            if not 1 <= end - 1 <= 9:
                return False
            rest = rest[end:]
    if not valid_time(hour, minute, second):
        return False
    return rest == "" or iso_offset(rest)


def compact_or_unix(text: str) -> bool:
    if all_digits(text, 10, 13):
        return True
    if all_digits(text, 8):
        return valid_date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if all_digits(text, 14):
        date_ok = valid_date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        return date_ok and valid_time(int(text[8:10]), int(text[10:12]), int(text[12:14]))
    return False


def rfc2822(text: str) -> bool:
    if text[3:4] == "," and text[:3].isascii() and text[:3].lower() in WEEKDAYS:
        text = text[4:].lstrip(" ")
    parts = [part for part in text.split(" ") if part]
    if len(parts) != 5:
        return False
    day, month, year, clock, zone = parts
    if not (all_digits(day, 1, 2) and all_digits(year, 4)):
        return False
    if not (month.isascii() and month.lower() in MONTHS):
        return False
    if not valid_date(int(year), MONTHS.index(month.lower()) + 1, int(day)):
        return False
    pieces = clock.split(":")
    if len(pieces) not in (2, 3) or not all(all_digits(p, 2) for p in pieces):
        return False
    if not valid_time(int(pieces[0]), int(pieces[1]), int(pieces[2]) if len(pieces) == 3 else 0):
        return False
    if zone[:1] in ("+", "-"):
        return len(zone) == 5 and offset_ok(zone[1:3], zone[3:])
    return zone.isascii() and zone.lower() in RFC_ZONE_NAMES


def is_datetime(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return iso(text) or compact_or_unix(text) or rfc2822(text)


def is_numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        text = value.strip()
        return DECIMAL.fullmatch(text) is not None and math.isfinite(float(text))
    return False


def is_boolean(value: object) -> bool:
    if value is True or value is False:
        return True
    return isinstance(value, str) and (value == "true" or value == "false")


def is_object(value: object) -> bool:
    return isinstance(value, dict | list)


CHECKS = {
    "String": lambda value: True,
    "Numeric": is_numeric,
    "Boolean": is_boolean,
    "DateTime": is_datetime,
    "Object": is_object,
}


def stringify(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def violation(name: str, reason: str, types: list[str], value: str | None) -> dict[str, object]:
    return {"property": name, "reason": reason, "expected_types": types, "actual_value": value}


def reference_validate(
    events: list[EventSpec], mode: str, event_name: str, properties: Mapping[str, object] | None
) -> list[dict[str, object]]:
    """Violations as dicts (Violation.to_dict shape): declared names sorted, then undeclared keys in order."""
    matching = [event for event in events if event.name == event_name]
    if not matching or not matching[0].properties:
        return []
    event = matching[0]
    if properties is None:
        properties = {}

    declarations: dict[str, list[tuple[str, bool]]] = {}
    for prop in event.properties:
        declarations.setdefault(prop.name, []).append((prop.property_type, prop.is_required))

    found = []
    for name in sorted(declarations):
        types = sorted({property_type for property_type, _ in declarations[name]})
        required = any(is_required for _, is_required in declarations[name])
        value = properties.get(name)
        if value is None:
            if required:
                found.append(violation(name, "missing_required", types, None))
            continue
        if not any(CHECKS[t](value) for t in types):
            found.append(violation(name, "type_mismatch", types, stringify(value)))

    if mode == "strict" and event.flag_unexpected:
        for key, value in properties.items():
            if key not in declarations and not key.startswith("$"):
                found.append(violation(key, "unexpected_property", [], stringify(value)))
    return found
