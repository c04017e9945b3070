"""Pure event-validation engine: compiles event schemas into fast checkers; no database, no HTTP.

Compile once per schema version with `compile_schemas`, then call `CompiledSchemas.validate` per event. The
`posthog` mode reproduces PostHog's ingestion-time checks (spec §6); `strict` adds, per event,
undeclared keys.
"""

from eventschema.validation.engine import CompiledSchemas, compile_schemas
from eventschema.validation.model import PROPERTY_TYPES, EventSpec, Mode, PropertySpec, Reason, Violation

__all__ = [
    "PROPERTY_TYPES",
    "CompiledSchemas",
    "EventSpec",
    "Mode",
    "PropertySpec",
    "Reason",
    "Violation",
    "compile_schemas",
]
