"""Pure event-validation engine: compiles event schemas into fast checkers; no database, no HTTP.

Compile once per schema version with `compile_schemas`, then call `CompiledSchemas.validate` per event. The
`posthog` mode reproduces PostHog's ingestion-time checks (spec §6); `strict` adds, per event,
undeclared keys. Properties may carry `validation_rules` (read with `parse_rules`): enums, ranges, patterns,
lengths, formats, nested objects and typed arrays; see `declarations` for their exact semantics.
"""

from eventschema.validation.engine import CompiledSchemas, compile_schemas
from eventschema.validation.model import (
    PROPERTY_TYPES,
    EventSpec,
    ItemSpec,
    Mode,
    PropertySpec,
    Reason,
    Rules,
    Violation,
)
from eventschema.validation.rules import parse_rules

__all__ = [
    "PROPERTY_TYPES",
    "CompiledSchemas",
    "EventSpec",
    "ItemSpec",
    "Mode",
    "PropertySpec",
    "Reason",
    "Rules",
    "Violation",
    "compile_schemas",
    "parse_rules",
]
