"""Turning arbitrary event, group and property names into safe identifiers and string literals.

Names are user data (`$current_url`, `has spaces`, `123x`, quotes, backslashes, newlines, any Unicode), and
generated files must compile whatever they are. Identifiers are therefore built from the ASCII letters and
digits of a name only, in PascalCase, so they are valid in every target language, never a keyword once a
suffix is added, and look alike across languages; names that sanitise to the same identifier are told apart
by a numeric suffix given in name order, so the result is deterministic. The name itself only ever appears
inside string literals made by the quoting functions here (or `repr` for Python).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import orjson

ITEMS = "[]"
_WORD = re.compile(r"[A-Za-z0-9]+")
_NOT_PLAIN_ASCII = re.compile(r"[^\n\x20-\x7e]")


def pascal_case(name: str, fallback: str) -> str:
    """`fallback` + digits when the name has no ASCII letter or starts with a digit, e.g. `123x` -> `Event123x`."""
    words = _WORD.findall(name)
    identifier = "".join(word[0].upper() + word[1:] for word in words)
    if not identifier or identifier[0].isdigit():
        identifier = fallback + identifier
    return identifier


def unique_identifiers(
    names: Iterable[str], *, suffix: str = "", fallback: str = "Event", reserved: Iterable[str] = ()
) -> dict[str, str]:
    """name -> identifier (pascal_case + suffix), unique among themselves and distinct from `reserved`.

    The first name in sorted order keeps the plain identifier; later ones get 2, 3, ... before the suffix.
    """
    taken = set(reserved)
    result: dict[str, str] = {}
    for name in sorted(set(names)):
        base = pascal_case(name, fallback)
        candidate, number = base + suffix, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}{suffix}"
        taken.add(candidate)
        result[name] = candidate
    return result


def _unicode_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def escape_unprintable(text: str) -> str:
    """JSON or JavaScript text with every unprintable character but newline as a \\u escape (only strings hold any).

    Printable Unicode stays readable; line and paragraph separators, lone surrogates and format characters are
    escaped, so a literal never spans lines, hides characters or fails to encode as UTF-8.
    """
    return _NOT_PLAIN_ASCII.sub(lambda m: m[0] if m[0].isprintable() else _unicode_escape(m[0]), text)


def json_string(name: str) -> str:
    """A double-quoted JSON string literal, also valid in TypeScript and JavaScript."""
    return escape_unprintable(json.dumps(name, ensure_ascii=False))


def json_document(value: Any) -> str:
    """`value` as JSON indented by two spaces, every unprintable character escaped (see escape_unprintable).

    orjson for speed; the standard library for the strings orjson refuses (lone surrogates).
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    return escape_unprintable(text)


class Namer:
    """Hands out identifiers unique within one generated file: `base`, then `base2`, `base3`, ... in call order.

    Callers walk the plan in its sorted order, so the same plan always gets the same names.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.taken = set(reserved)

    def take(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate


def nested_name(event_name: str, path: Iterable[str]) -> str:
    """The base name of a type generated for a nested property: the event's and each path step's PascalCase.

    A path holds property names and "[]" for an array's items (named "Item").
    """
    return pascal_case(event_name, "Event") + "".join(
        "Item" if step == ITEMS else pascal_case(step, "Property") for step in path
    )


def path_text(path: Iterable[str]) -> str:
    """A path as the engine names it in violations: `cart.items[]` (without indexes)."""
    text = ""
    for step in path:
        text += step if step == ITEMS else f".{step}" if text else step
    return text
