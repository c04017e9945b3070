"""JSON: the list of events with their properties, as PostHog's JSON generator writes it.

`[{"name", "description", "properties": [{"name", "type", "required"}]}]`, events and properties sorted by
name, indented by two spaces. A name declared with several types in an event's groups is listed once per
type. The JSON Schema 2020-12 document eventschema also offers is the `jsonschema` language.
"""

from __future__ import annotations

from eventschema.codegen.names import json_document
from eventschema.codegen.plan import TrackingPlan


def generate(plan: TrackingPlan) -> str:
    events = [
        {
            "name": event.name,
            "description": event.description,
            "properties": [
                {"name": prop.name, "type": property_type, "required": prop.required}
                for prop in event.properties
                for property_type in prop.types
            ],
        }
        for event in plan.events
    ]
    return json_document(events)
