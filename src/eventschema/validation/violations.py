"""The slow, complete path: list every violation of an event that is already known to be invalid.

The compiled fast path only answers "valid or not" and hands invalid events here, so this code favours being
obviously right over being quick; it runs once per rejected event. The per-property check is still chosen
once per schema, not per event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from eventschema.validation.checks import CHECKS, Check, stringify
from eventschema.validation.declarations import Declaration, NameCheck
from eventschema.validation.model import MISSING_REQUIRED, TYPE_MISMATCH, UNEXPECTED_PROPERTY, Violation
from eventschema.validation.plan import EventPlan, PropertyRule

Collector = Callable[[Mapping[str, object]], tuple[Violation, ...]]


def _any_of(types: tuple[str, ...]) -> Check | None:
    """One check accepting a value of any of `types`; None when there is nothing to check."""
    if not types:
        return None
    if len(types) == 1:
        return CHECKS[types[0]]
    checks = tuple(CHECKS[t] for t in types)
    return lambda value: any(check(value) for check in checks)


def name_check(rule: PropertyRule, strict: bool) -> NameCheck:
    """The complete check of a name whose declarations carry rules."""
    declarations = tuple(Declaration(property_type, rules, strict) for property_type, rules in rule.declarations)
    return NameCheck(declarations, rule.declared_types)


def violation_collector(plan: EventPlan) -> Collector:
    """The function listing every violation of an event under `plan`.

    Declared properties are reported in name order (nested violations of a property right after it), then
    undeclared keys in the event's key order. Keys starting with "$" are never reported as undeclared:
    PostHog's SDKs add dozens of them ($current_url, $browser, $lib, ...) to every event, and no tracking plan
    lists them.
    """
    steps = tuple(
        (
            rule.name,
            rule.required,
            rule.declared_types,
            _any_of(rule.checked_types),
            name_check(rule, plan.strict) if rule.declarations else None,
        )
        for rule in plan.rules
    )
    declared = plan.declared

    def collect(properties: Mapping[str, object]) -> tuple[Violation, ...]:
        found: list[Violation] = []
        for name, required, declared_types, check, with_rules in steps:
            value = properties.get(name)
            if value is None:
                if required:
                    found.append(Violation(name, MISSING_REQUIRED, declared_types, None))
            elif with_rules is not None:
                with_rules.check(value, name, found)
            elif check is not None and not check(value):
                found.append(Violation(name, TYPE_MISMATCH, declared_types, stringify(value)))
        if declared is not None:
            found.extend(
                Violation(key, UNEXPECTED_PROPERTY, (), stringify(value))
                for key, value in properties.items()
                if key not in declared and not key.startswith("$")
            )
        return tuple(found)

    return collect
