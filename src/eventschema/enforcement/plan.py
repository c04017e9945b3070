"""A project's schemas compiled for one schema version, and what the gateway does with each event.

Definitions enforce `allow` (forward as is), `warn` (forward, marked with its violations) or `reject`
(quarantine it when it has violations). The gateway only checks `warn` and `reject` events, as PostHog only
checks `reject` ones; the validate API checks every event and says what the gateway would do.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

from eventschema.validation import (
    CompiledSchemas,
    EventSpec,
    Mode,
    PropertySpec,
    Violation,
    compile_schemas,
    parse_rules,
)

Action = Literal["forward", "mark", "quarantine"]
FORWARD: Final = "forward"
MARK: Final = "mark"
QUARANTINE: Final = "quarantine"
NOTHING: Final[Sequence[Violation]] = ()


def action_for(enforcement_mode: str, violations: Sequence[Violation]) -> Action:
    if not violations or enforcement_mode == "allow":
        return FORWARD
    return MARK if enforcement_mode == "warn" else QUARANTINE


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    version: int
    schemas: CompiledSchemas
    # Event name -> enforcement mode, for every definition of the project.
    enforcement: Mapping[str, str]

    def check(self, name: str, properties: Mapping[str, object]) -> tuple[Action, Sequence[Violation]]:
        """The gateway's verdict; events of unknown names and `allow` definitions are not checked at all."""
        mode = self.enforcement.get(name)
        if mode is None or mode == "allow":
            return FORWARD, NOTHING
        violations = self.schemas.validate(name, properties)
        return action_for(mode, violations), violations

    def explain(self, name: str, properties: Mapping[str, object]) -> tuple[Action, Sequence[Violation]]:
        """Every violation whatever the definition's mode, with the action the gateway would take."""
        violations = self.schemas.validate(name, properties)
        return action_for(self.enforcement.get(name, "allow"), violations), violations


def build_plan(version: int, mode: str, definitions: Iterable[Any], properties: Iterable[Any]) -> ProjectPlan:
    """Compile rows as `repository.definitions` and `repository.linked_properties` return them."""
    declared: defaultdict[str, list[PropertySpec]] = defaultdict(list)
    for row in properties:
        rules = parse_rules(row.validation_rules, row.property_type, f"event {row.event!r}: property {row.name!r}")
        declared[row.event].append(PropertySpec(row.name, row.property_type, row.is_required, rules))
    specs = []
    enforcement: dict[str, str] = {}
    for row in definitions:
        enforcement[row.name] = row.enforcement_mode
        specs.append(EventSpec(row.name, tuple(declared.get(row.name, ())), bool(row.flag_unexpected)))
    return ProjectPlan(version, compile_schemas(specs, cast(Mode, mode)), enforcement)
