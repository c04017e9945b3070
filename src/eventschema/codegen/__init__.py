"""Typed client code generated from a project's tracking plan (PostHog CLI contract, spec §7).

`plan` reconciles the tracking plan once; each language module turns a plan into one source file and
imports nothing from the database or HTTP layers, so generators are pure, deterministic functions.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from eventschema.codegen import golang, json_list, jsonschema, python, typescript
from eventschema.codegen.hashing import GENERATOR_VERSION, schema_hash
from eventschema.codegen.plan import TrackingPlan

GENERATORS: Final[Mapping[str, Callable[[TrackingPlan], str]]] = {
    "typescript": typescript.generate,
    "python": python.generate,
    "golang": golang.generate,
    "json": json_list.generate,
    "jsonschema": jsonschema.generate,
}
LANGUAGES: Final = tuple(GENERATORS)
# The file each language is written to by default (`eventschema pull`, the console's downloads).
FILE_NAMES: Final[Mapping[str, str]] = {
    "typescript": "posthog-typed.ts",
    "python": "posthog_typed.py",
    "golang": "posthog_typed.go",
    "json": "posthog-typed.json",
    "jsonschema": "posthog-typed.schema.json",
}


@dataclass(frozen=True, slots=True)
class GeneratedCode:
    content: str
    event_count: int
    schema_hash: str
    generator_version: str


def generate(plan: TrackingPlan, language: str) -> GeneratedCode:
    """The source file for `language` with the fingerprint a client compares to skip unchanged files."""
    content = GENERATORS[language](plan)
    return GeneratedCode(content, len(plan.events), schema_hash(plan), GENERATOR_VERSION)
