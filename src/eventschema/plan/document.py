"""The plan document: built from entity states, read from a file, written as YAML with a stable order.

Names are the keys (no ids, so a file moves between servers); groups and events are sorted by name, properties
in the order the API lists them (by name), every field is written and `validation_rules` only when a property
has rules. The same plan always gives the same bytes, which is what makes `export -> apply -> export` exact.
"""

from typing import Any

import orjson
import pydantic
import yaml

from eventschema import errors
from eventschema.history.states import EVENT, GROUP, LINK, PROJECT, States
from eventschema.plan.schemas import PlanDocument
from eventschema.property_groups import rules

Document = dict[str, Any]
FORMAT_VERSION = 1


def build(states: States) -> Document:
    groups = {entity_id: state for (kind, entity_id), state in states.items() if kind == GROUP}
    events = {entity_id: state for (kind, entity_id), state in states.items() if kind == EVENT}
    modes = [state["validation_mode"] for (kind, _), state in states.items() if kind == PROJECT]
    linked: dict[str, list[str]] = {entity_id: [] for entity_id in events}
    for (kind, _), state in states.items():
        if kind == LINK:
            linked[state["event_definition_id"]].append(groups[state["property_group_id"]]["name"])
    return {
        "version": FORMAT_VERSION,
        "validation_mode": modes[0] if modes else "posthog",
        "property_groups": {
            group["name"]: {
                "description": group["description"],
                "properties": {item["name"]: _property(item) for item in group["properties"]},
            }
            for group in sorted(groups.values(), key=lambda group: group["name"])
        },
        "events": {
            event["name"]: {
                "description": event["description"],
                "enforcement_mode": event["enforcement_mode"],
                "flag_unexpected": event["flag_unexpected"],
                "property_groups": sorted(linked[entity_id]),
            }
            for entity_id, event in sorted(events.items(), key=lambda item: item[1]["name"])
        },
    }


def _property(item: dict[str, Any]) -> dict[str, Any]:
    values = {key: item[key] for key in ("property_type", "is_required", "is_optional_in_types", "description")}
    if item.get("validation_rules"):
        values["validation_rules"] = item["validation_rules"]
    return values


def parse(content: dict[str, Any] | str) -> PlanDocument:
    """A plan from its YAML or JSON text (JSON is YAML) or from the object; a 400 names what is wrong."""
    if isinstance(content, str):
        try:
            # Aliases can make a small text expand to an exponential amount of work; a plan never needs them.
            if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(content, Loader=yaml.SafeLoader)):
                raise errors.ValidationError("YAML aliases (*name) are not allowed in a plan.", attr="plan")
            content = yaml.safe_load(content)
        except yaml.YAMLError as exc:
            raise errors.ValidationError(f"The plan is not valid YAML or JSON: {exc}", attr="plan") from None
    if not isinstance(content, dict):
        raise errors.ValidationError("The plan must be an object with `version: 1`.", attr="plan")
    try:
        return PlanDocument.model_validate(content)
    except pydantic.ValidationError as exc:
        error = errors.from_pydantic(exc)
        error.attr = f"plan__{error.attr}" if error.attr else "plan"
        raise error from exc


def normalise(plan: PlanDocument, current: Document) -> Document:
    """The file as a full document, in export order; what it leaves out is taken from `current`."""
    groups = {
        name: {
            "description": group.description,
            "properties": {
                prop_name: _property(
                    {
                        **prop.model_dump(exclude={"validation_rules"}),
                        "validation_rules": rules.normalise(
                            prop.property_type,
                            prop.validation_rules,
                            f"plan__property_groups__{name}__properties__{prop_name}",
                        ),
                    }
                )
                for prop_name, prop in sorted(group.properties.items())
            },
        }
        for name, group in sorted(plan.property_groups.items())
    }
    events = {}
    for name, event in sorted(plan.events.items()):
        if len(set(event.property_groups)) != len(event.property_groups):
            raise errors.ValidationError(
                "A property group is listed twice.", attr=f"plan__events__{name}__property_groups"
            )
        events[name] = {
            "description": event.description,
            "enforcement_mode": event.enforcement_mode,
            "flag_unexpected": event.flag_unexpected,
            "property_groups": sorted(event.property_groups),
        }
    mode = plan.validation_mode or current["validation_mode"]
    return {"version": FORMAT_VERSION, "validation_mode": mode, "property_groups": groups, "events": events}


def merge(current: Document, incoming: Document, *, prune: bool) -> Document:
    """What the project's plan becomes once `incoming` is applied: with `prune`, exactly `incoming`; without,
    groups and events it does not name stay as they are."""
    target = incoming
    if not prune:
        groups = {**current["property_groups"], **incoming["property_groups"]}
        events = {**current["events"], **incoming["events"]}
        target = {
            **incoming,
            "property_groups": dict(sorted(groups.items())),
            "events": dict(sorted(events.items())),
        }
    for name, event in target["events"].items():
        for group in event["property_groups"]:
            if group not in target["property_groups"]:
                raise errors.ValidationError(
                    f"Event '{name}' is linked to property group '{group}', which is not in the plan.",
                    attr=f"plan__events__{name}__property_groups",
                )
    return target


def to_yaml(document: Document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)


def to_json(document: Document) -> bytes:
    return orjson.dumps(document)
