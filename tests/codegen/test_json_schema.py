"""The JSON Schema output is a valid 2020-12 schema that passes and fails events as the validation engine does."""

import json
from typing import Any

import jsonschema
import pytest

from eventschema.codegen import jsonschema as generator
from eventschema.codegen.plan import Event, TrackingPlan
from eventschema.validation import CompiledSchemas, EventSpec, PropertySpec, compile_schemas
from tests.codegen import fixture

VALID: dict[str, object] = {
    "String": "text",
    "Numeric": 1.5,
    "Boolean": True,
    "DateTime": "2024-05-01T12:00:00Z",
    "Object": {"a": 1},
}
# Values for every type, valid for some and not others under the engine's rules ("1e999" is left out: a
# pattern cannot tell that it overflows a double).
SAMPLES: list[object] = [
    None, "", "text", " 12 ", "1.5e3", "-.5", "1,5", "0x10", 0, -2.5, True, False, "true", "TRUE", "false",
    "2024-05-01", "2024-02-30", "2024-05-01 12:00:00", "20240501", "1714564800", "1714564800000",
    "Wed, 01 May 2024 12:00:00 GMT", "wed, 01 may 2024 12:00:00 gmt", "01 Foo 2024 12:00:00 GMT",
    {}, {"nested": [1]}, [], [1, "a"],
]  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> TrackingPlan:
    return fixture.plan()


@pytest.fixture(scope="module")
def validator(plan: TrackingPlan) -> jsonschema.Draft202012Validator:
    document = json.loads(generator.generate(plan))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


@pytest.fixture(scope="module")
def engine(plan: TrackingPlan) -> CompiledSchemas:
    groups = {group.name: group for group in plan.groups}
    specs = [
        EventSpec(
            event.name,
            tuple(
                PropertySpec(d.name, d.property_type, d.is_required)
                for name in event.groups
                for d in groups[name].properties
            ),
        )
        for event in plan.events
    ]
    return compile_schemas(specs, "posthog")


def _valid_properties(event: Event) -> dict[str, object]:
    return {p.name: VALID[p.types[0]] for p in event.properties}


def _agree(validator: Any, engine: CompiledSchemas, event: str, properties: dict[str, object]) -> bool:
    engine_valid = not engine.validate(event, properties)
    schema_valid = validator.is_valid({"event": event, "properties": properties})
    assert schema_valid == engine_valid, (
        event,
        properties,
        list(validator.iter_errors({"event": event, "properties": properties})),
    )
    return engine_valid


def test_one_def_per_group_and_one_schema_per_event_referring_to_its_groups(plan: TrackingPlan) -> None:
    document = json.loads(generator.generate(plan))
    titles = {entry["title"]: key for key, entry in document["$defs"].items() if "title" in entry}
    assert {key for key in document["$defs"] if key.endswith("Group")} == {titles[g.name] for g in plan.groups}
    assert {key for key in document["$defs"] if key.endswith("Event")} == {titles[e.name] for e in plan.events}
    page_viewed = document["$defs"][titles["page viewed"]]
    assert page_viewed["allOf"] == [{"$ref": f"#/$defs/{titles['page context']}"}]
    # "shared" is Numeric in "order" and Boolean in "order extras": both groups are merged into the event.
    purchase = document["$defs"][titles["purchase"]]
    assert "allOf" not in purchase
    assert purchase["properties"]["shared"] == {
        "anyOf": [{"$ref": "#/$defs/BooleanValue"}, {"$ref": "#/$defs/NumericValue"}]
    }


def test_every_valid_event_passes(validator: Any, engine: CompiledSchemas, plan: TrackingPlan) -> None:
    for event in plan.events:
        assert _agree(validator, engine, event.name, _valid_properties(event))
        assert _agree(validator, engine, event.name, {**_valid_properties(event), "undeclared": [1]})


def test_every_sample_value_for_every_property_gets_the_engines_verdict(
    validator: Any, engine: CompiledSchemas, plan: TrackingPlan
) -> None:
    verdicts = set()
    for event in plan.events:
        for prop in event.properties:
            base = _valid_properties(event)
            del base[prop.name]
            verdicts.add(_agree(validator, engine, event.name, base))
            for value in SAMPLES:
                verdicts.add(_agree(validator, engine, event.name, {**base, prop.name: value}))
    assert verdicts == {True, False}


def test_unknown_events_pass_and_a_missing_properties_object_counts_as_empty(
    validator: Any, engine: CompiledSchemas
) -> None:
    assert validator.is_valid({"event": "not in the plan", "properties": {"x": 1}})
    assert not validator.is_valid({"properties": {}})
    assert validator.is_valid({"event": "func"}) and not engine.validate("func", None)
    assert not validator.is_valid({"event": "purchase"}) and engine.validate("purchase", None)
