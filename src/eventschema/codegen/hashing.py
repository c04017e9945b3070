"""schema_hash: a fingerprint of everything generated code depends on, so clients can skip unchanged files.

The hash is the first 32 hex digits of the SHA-256 of a canonical JSON document built only from names, types
and flags, sorted, plus the generator version. Ids, timestamps, descriptions and row order never enter it, so
the same schemas give the same hash in every process and on every database. Besides the per-event
(name, type, is_required, is_optional_in_types) tuples the contract asks for, it also covers which groups
each event links and each group's own declarations, because the JSON Schema output shows both.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

from eventschema import __version__
from eventschema.codegen.plan import Declaration, TrackingPlan

# The package's version: the generated files change only with the package, and clients compare this string.
GENERATOR_VERSION: Final = __version__


def _declaration(declaration: Declaration) -> list[object]:
    return [declaration.name, declaration.property_type, declaration.is_required, declaration.is_optional_in_types]


def canonical(plan: TrackingPlan) -> bytes:
    """The exact bytes hashed: compact, key-sorted, ASCII-only JSON."""
    rows = {group.name: [_declaration(d) for d in group.properties] for group in plan.groups}
    document = {
        "generator_version": GENERATOR_VERSION,
        "events": [
            [event.name, sorted(row for name in event.groups for row in rows[name]), list(event.groups)]
            for event in plan.events
        ],
        "groups": [[name, declarations] for name, declarations in rows.items()],
    }
    return json.dumps(document, ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode("ascii")


def schema_hash(plan: TrackingPlan) -> str:
    return hashlib.sha256(canonical(plan)).hexdigest()[:32]
