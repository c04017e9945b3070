"""schema_hash: a fingerprint of everything generated code depends on, so clients can skip unchanged files.

The hash is the first 32 hex digits of the SHA-256 of a canonical JSON document built only from names, types
and flags, sorted, plus the generator version. Ids, timestamps, descriptions and row order never enter it, so
the same schemas give the same hash in every process and on every database. Besides the per-event
(name, type, is_required, is_optional_in_types) tuples the contract asks for, it also covers which groups
each event links and each group's own declarations, because the JSON Schema output shows both. A declaration
with validation rules adds them as a fifth element (key-sorted like the rest of the document, so key order
never matters; descriptions of nested declarations are left out, as top-level ones are); one without rules
has no fifth element, so the hash of a plan without rules is what it was before rules existed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Final

from eventschema import __version__
from eventschema.codegen.plan import Declaration, TrackingPlan

# The package's version: the generated files change only with the package, and clients compare this string.
GENERATOR_VERSION: Final = __version__


def _without_descriptions(value: Any) -> Any:
    """The rules minus the descriptions of nested declarations, which (like top-level ones) are not hashed."""
    if isinstance(value, dict):
        return {k: _without_descriptions(v) for k, v in value.items() if k != "description"}
    if isinstance(value, list):
        return [_without_descriptions(v) for v in value]
    return value


def _declaration(declaration: Declaration) -> list[object]:
    row: list[object] = [
        declaration.name,
        declaration.property_type,
        declaration.is_required,
        declaration.is_optional_in_types,
    ]
    if declaration.validation_rules:  # absent without rules, so plans without rules keep their hash
        row.append(_without_descriptions(declaration.validation_rules))
    return row


def _order(row: Sequence[Any]) -> tuple[str, str, bool, bool, str]:
    """Rows sort as before rules existed; rows differing only in their rules by the rules' canonical JSON."""
    return (row[0], row[1], row[2], row[3], _json(row[4]) if len(row) > 4 else "")


def _sorted(rows: list[list[Any]]) -> list[list[Any]]:
    """`sorted(rows, key=_order)`, without calling the key for rows that compare as lists (nearly always)."""
    try:
        return sorted(rows)
    except TypeError:  # two declarations of one name, type and flags, with different rules: dicts do not order
        return sorted(rows, key=_order)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


def canonical(plan: TrackingPlan) -> bytes:
    """The exact bytes hashed: compact, key-sorted, ASCII-only JSON."""
    rows = {group.name: [_declaration(d) for d in group.properties] for group in plan.groups}
    document = {
        "generator_version": GENERATOR_VERSION,
        "events": [
            [event.name, _sorted([row for name in event.groups for row in rows[name]]), list(event.groups)]
            for event in plan.events
        ],
        "groups": [[name, declarations] for name, declarations in rows.items()],
    }
    return _json(document).encode("ascii")


def schema_hash(plan: TrackingPlan) -> str:
    return hashlib.sha256(canonical(plan)).hexdigest()[:32]
