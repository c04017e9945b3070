"""Entry points: compile a schema version once, then validate events against it at ingestion speed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Final, get_args

from eventschema.validation.compiler import NO_VIOLATIONS, EventValidator, compile_plan
from eventschema.validation.model import EventSpec, Mode, Violation
from eventschema.validation.plan import plan_event

_NO_PROPERTIES: Final[Mapping[str, object]] = MappingProxyType({})


def _accept_all(properties: Mapping[str, object]) -> tuple[Violation, ...]:
    """The validator of an event whose schema cannot fail (no properties, or nothing checked in this mode)."""
    return NO_VIOLATIONS


class CompiledSchemas:
    """Every event schema of one schema version, compiled for one mode. Immutable and thread-safe."""

    __slots__ = ("_validators", "mode")

    def __init__(self, validators: Mapping[str, EventValidator], mode: Mode) -> None:
        self._validators = dict(validators)
        self.mode: Final = mode

    def has_event(self, name: str) -> bool:
        """True if `name` was among the compiled events, whether or not its schema can fail."""
        return name in self._validators

    def validate(self, event_name: str, properties: Mapping[str, object] | None) -> Sequence[Violation]:
        """The violations of one event, empty when it is valid or its name is unknown.

        A valid event gets the same shared empty tuple every time, so the hot path allocates nothing; the
        result is a tuple in every case, so no caller can alter what another one receives.
        """
        validator = self._validators.get(event_name)
        if validator is None:
            return NO_VIOLATIONS
        return validator(_NO_PROPERTIES if properties is None else properties)


def compile_schemas(events: Iterable[EventSpec], mode: Mode) -> CompiledSchemas:
    """Do all per-schema work up front: reconcile declarations, pick checks and generate one validator per event.

    Raises ValueError for an unknown mode or property type, and for an event name given twice (the caller
    should pass each event definition once, with the properties of all its groups).
    """
    if mode not in get_args(Mode):
        raise ValueError(f"unknown validation mode {mode!r}")
    validators: dict[str, EventValidator] = {}
    for event in events:
        if event.name in validators:
            raise ValueError(f"event {event.name!r} is given more than once")
        plan = plan_event(event, mode)
        validators[event.name] = _accept_all if plan is None else compile_plan(plan)
    return CompiledSchemas(validators, mode)
