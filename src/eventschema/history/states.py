"""The recorded state of each kind of plan entity: plain JSON, the same whoever writes it.

group: {"name", "description", "properties": [property, ...] sorted by name}, each property
{"id", "name", "property_type", "is_required", "is_optional_in_types", "description", "validation_rules"};
event: {"name", "description", "enforcement_mode", "flag_unexpected"};
link: {"event_definition_id", "property_group_id"}; project: {"validation_mode"}.
"""

from collections.abc import Iterable, Mapping
from typing import Any

GROUP, EVENT, LINK, PROJECT = "group", "event", "link", "project"
PROPERTY_KEYS = ("id", "name", "property_type", "is_required", "is_optional_in_types", "description")

State = dict[str, Any]
# (kind, entity id) -> state
States = dict[tuple[str, str], State]


def property_state(values: Mapping[str, Any]) -> State:
    state = {key: values[key] for key in PROPERTY_KEYS}
    state["id"] = str(state["id"])
    state["validation_rules"] = values.get("validation_rules") or None
    return state


def group_state(name: str, description: str, properties: Iterable[Mapping[str, Any]]) -> State:
    listed = sorted((property_state(values) for values in properties), key=lambda item: item["name"])
    return {"name": name, "description": description, "properties": listed}


def event_state(values: Any) -> State:
    """From an EventDefinition or a row with the same attributes."""
    return {
        "name": values.name,
        "description": values.description,
        "enforcement_mode": values.enforcement_mode,
        "flag_unexpected": bool(values.flag_unexpected),
    }


def link_state(event_definition_id: Any, property_group_id: Any) -> State:
    return {"event_definition_id": str(event_definition_id), "property_group_id": str(property_group_id)}


def project_state(validation_mode: str) -> State:
    return {"validation_mode": validation_mode}


def live(states: States) -> States:
    """Drops links whose event or group is gone: deleting either deletes its links without recording them."""
    return {
        key: state
        for key, state in states.items()
        if key[0] != LINK
        or ((EVENT, state["event_definition_id"]) in states and (GROUP, state["property_group_id"]) in states)
    }
