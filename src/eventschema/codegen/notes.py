"""Rules that generated types cannot express, as one line of text for doc comments in every language.

Values are written as ASCII-only JSON, so a note never holds a line break or a non-ASCII character, and `*/` is
written `*\\/` (the same string in JSON), so a note can sit inside a block comment as well as a line comment.
Property names never appear in notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from eventschema.codegen.plan import Property, Shape


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(", ", ": ")).replace("*/", "*\\/")


def shape_notes(shape: Shape, expressed_enum: bool) -> list[str]:
    """`rule: value` for each rule of the shape its type does not show (the enum when the type cannot)."""
    notes = [] if shape.enum is None or expressed_enum else [f"enum: {_value(list(shape.enum))}"]
    notes += [f"{key}: {_value(value)}" for key, value in shape.notes]
    if not shape.additional_properties:
        notes.append("additionalProperties: false")
    return notes


def property_notes(prop: Property, expresses_enum: Callable[[Shape], bool]) -> str:
    """One line of notes for a property ("" when none); prefixed by type when several types have notes."""
    per_type = [
        (shape.property_type, notes) for shape in prop.shapes if (notes := shape_notes(shape, expresses_enum(shape)))
    ]
    if len(per_type) == 1:
        return ", ".join(per_type[0][1])
    return "; ".join(f"{property_type}: {', '.join(notes)}" for property_type, notes in per_type)
