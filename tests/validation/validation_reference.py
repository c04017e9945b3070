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

import re2

from eventschema.validation import EventSpec, Rules

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
    "Any": lambda value: value is not None,
    "Array": lambda value: isinstance(value, list),
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


# --- validation rules -------------------------------------------------------------------------------------------

ATEXT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")
LABEL_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
URI_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=")
HEX = set("0123456789abcdefABCDEF")


def is_email(text: str) -> bool:
    if len(text) > 254 or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    if not 1 <= len(local) <= 64:
        return False
    if any(part == "" or not set(part) <= ATEXT for part in local.split(".")):
        return False
    for label in domain.split("."):
        if not 1 <= len(label) <= 63 or not set(label) <= LABEL_CHARS or label[0] == "-" or label[-1] == "-":
            return False
    return True


def is_uri(text: str) -> bool:
    scheme, colon, rest = text.partition(":")
    if not colon or not scheme or not (scheme[0].isascii() and scheme[0].isalpha()):
        return False
    if not all(c.isascii() and (c.isalnum() or c in "+-.") for c in scheme):
        return False
    i = 0
    while i < len(rest):
        if rest[i] == "%":
            if len(rest[i + 1 : i + 3]) != 2 or not set(rest[i + 1 : i + 3]) <= HEX:
                return False
            i += 3
        elif rest[i] in URI_CHARS:
            i += 1
        else:
            return False
    return True


def is_uuid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(set(p) <= HEX for p in parts)


def is_date(text: str) -> bool:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    year, month, day = text[:4], text[5:7], text[8:]
    if not (all_digits(year, 4) and all_digits(month, 2) and all_digits(day, 2)):
        return False
    return valid_date(int(year), int(month), int(day))


def is_date_time(text: str) -> bool:
    if len(text) < 11 or text[10] not in "Tt" or not is_date(text[:10]):
        return False
    clock = text[11:]
    if len(clock) < 8 or clock[2] != ":" or clock[5] != ":":
        return False
    hh, mm, ss = clock[:2], clock[3:5], clock[6:8]
    if not (all_digits(hh, 2) and all_digits(mm, 2) and all_digits(ss, 2)):
        return False
    if not valid_time(int(hh), int(mm), int(ss)):
        return False
    rest = clock[8:]
    if rest.startswith("."):
        digits = 0
        while digits + 1 < len(rest) and rest[digits + 1] in DIGITS:
            digits += 1
        if not 1 <= digits <= 9:
            return False
        rest = rest[digits + 1 :]
    if rest in ("Z", "z"):
        return True
    return len(rest) == 6 and rest[0] in "+-" and rest[3] == ":" and offset_ok(rest[1:3], rest[4:])


FORMATS = {"email": is_email, "uri": is_uri, "uuid": is_uuid, "date": is_date, "date-time": is_date_time}


def coerced(property_type: str, value: object) -> object:
    """The value rules are checked on, for a value that passed its type."""
    if property_type == "String":
        return value if isinstance(value, str) else stringify(value)
    if property_type == "Numeric" and isinstance(value, str):
        return float(value.strip())
    if property_type == "Boolean" and isinstance(value, str):
        return value == "true"
    return value


def json_equal(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return isinstance(a, str) and isinstance(b, str) and a == b


def member_matches(property_type: str, member: object, value: object) -> bool:
    """Whether an enum member equals a coerced value of `property_type`."""
    if property_type == "String":
        return coerced("String", member) == value
    if property_type == "Numeric":
        if isinstance(member, bool) or (isinstance(member, str) and not is_numeric(member)):
            return False
        return coerced("Numeric", member) == value
    if property_type == "Boolean":
        return is_boolean(member) and coerced("Boolean", member) is value
    return json_equal(member, value)


def check_declaration(
    property_type: str, rules: Rules | None, value: object, path: str, types: list[str], strict: bool
) -> list[dict[str, object]]:
    """Every violation of a non-null value against one declaration, nested levels included."""
    if not CHECKS[property_type](value):
        return [violation(path, "type_mismatch", types, stringify(value))]
    if rules is None:
        return []
    found = []
    c = coerced(property_type, value)
    bad = lambda reason: found.append(violation(path, reason, types, stringify(value)))  # noqa: E731
    if rules.enum is not None and not any(member_matches(property_type, m, c) for m in rules.enum):
        bad("not_in_enum")
    if rules.not_enum is not None and any(member_matches(property_type, m, c) for m in rules.not_enum):
        bad("in_excluded_enum")
    bounds_fail = (
        (rules.minimum is not None and c < rules.minimum)
        or (rules.maximum is not None and c > rules.maximum)
        or (rules.exclusive_minimum is not None and c <= rules.exclusive_minimum)
        or (rules.exclusive_maximum is not None and c >= rules.exclusive_maximum)
    )
    if bounds_fail:
        bad("out_of_range")
    if rules.pattern is not None and re2.search(rules.pattern, c) is None:
        bad("pattern_mismatch")
    if rules.min_length is not None and len(c) < rules.min_length:
        bad("too_short")
    if rules.max_length is not None and len(c) > rules.max_length:
        bad("too_long")
    if rules.format is not None and not FORMATS[rules.format](c):
        bad("invalid_format")
    if rules.min_items is not None and len(c) < rules.min_items:
        bad("too_few_items")
    if rules.max_items is not None and len(c) > rules.max_items:
        bad("too_many_items")
    if rules.properties is not None:
        obj = value if isinstance(value, dict) else {}
        for spec in sorted(rules.properties, key=lambda spec: spec.name):
            child = obj.get(spec.name)
            child_path = path + "." + spec.name
            if child is None:
                if spec.is_required:
                    found.append(violation(child_path, "missing_required", [spec.property_type], None))
            else:
                found += check_declaration(
                    spec.property_type, spec.rules, child, child_path, [spec.property_type], strict
                )
        if strict and not rules.additional_properties:
            names = [spec.name for spec in rules.properties]
            for key in obj:
                if key not in names:
                    found.append(violation(path + "." + key, "unexpected_property", [], stringify(obj[key])))
    if rules.items is not None and isinstance(value, list):
        item_type = rules.items.property_type
        for i, element in enumerate(value):
            item_path = path + "[" + str(i) + "]"
            if element is None:
                found.append(violation(item_path, "type_mismatch", [item_type], None))
            else:
                found += check_declaration(item_type, rules.items.rules, element, item_path, [item_type], strict)
    return found


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

    declarations: dict[str, list[tuple[str, bool, Rules | None]]] = {}
    for prop in event.properties:
        declarations.setdefault(prop.name, []).append((prop.property_type, prop.is_required, prop.rules))

    strict = mode == "strict"
    found = []
    for name in sorted(declarations):
        types = sorted({property_type for property_type, _, _ in declarations[name]})
        required = any(is_required for _, is_required, _ in declarations[name])
        value = properties.get(name)
        if value is None:
            if required:
                found.append(violation(name, "missing_required", types, None))
            continue
        # Each distinct declaration, by type then rules; the first whose type fits is reported.
        distinct = sorted(
            {(t, r) for t, _, r in declarations[name]}, key=lambda d: (d[0], "" if d[1] is None else d[1].canonical)
        )
        results = [check_declaration(t, r, value, name, types, strict) for t, r in distinct]
        if any(result == [] for result in results):
            continue
        fitting = [result for (t, _), result in zip(distinct, results, strict=True) if CHECKS[t](value)]
        found += fitting[0] if fitting else [violation(name, "type_mismatch", types, stringify(value))]

    if mode == "strict" and event.flag_unexpected:
        for key, value in properties.items():
            if key not in declarations and not key.startswith("$"):
                found.append(violation(key, "unexpected_property", [], stringify(value)))
    return found
