"""What turning one plan document into another changes, one classified entry per change.

Each change: {"classification", "kind", "action", "path", "before", "after", "events"}; `events` names the
events it affects. A change that affects no event (a group no event is linked to) cannot make an event invalid:
it is neutral whatever it changes.
"""

from typing import Any

import orjson

from eventschema.plan import classify
from eventschema.plan.classify import LOOSENING, NEUTRAL, TIGHTENING
from eventschema.plan.document import Document

ENFORCEMENT_ORDER = ("allow", "warn", "reject")
Change = dict[str, Any]


def _change(
    classification: str, kind: str, action: str, path: str, before: Any, after: Any, events: list[str]
) -> Change:
    return {
        "classification": classification if events or kind in ("event", "link") else NEUTRAL,
        "kind": kind,
        "action": action,
        "path": path,
        "before": before,
        "after": after,
        "events": events,
    }


def _linked(document: Document, group: str) -> set[str]:
    return {name for name, event in document["events"].items() if group in event["property_groups"]}


def _flags_unexpected(document: Document, events: list[str]) -> bool:
    """In strict mode, an event that flags unexpected properties flags a property no longer declared."""
    return document["validation_mode"] == "strict" and any(
        document["events"][name]["flag_unexpected"] for name in events
    )


def diff(before: Document, after: Document) -> list[Change]:
    changes: list[Change] = []
    if before["validation_mode"] != after["validation_mode"]:
        found = TIGHTENING if after["validation_mode"] == "strict" else LOOSENING
        events = sorted(after["events"])
        changes.append(
            _change(
                found,
                "project",
                "changed",
                "validation_mode",
                before["validation_mode"],
                after["validation_mode"],
                events,
            )
        )
    for name in sorted({*before["property_groups"], *after["property_groups"]}):
        changes += _group(before, after, name)
    for name in sorted({*before["events"], *after["events"]}):
        changes += _event(before, after, name)
    return changes


def _group(before: Document, after: Document, name: str) -> list[Change]:
    path = f"property_groups.{name}"
    old, new = before["property_groups"].get(name), after["property_groups"].get(name)
    if old is None:
        return [_change(NEUTRAL, "property_group", "added", path, None, new, [])]
    if new is None:
        return [_change(NEUTRAL, "property_group", "removed", path, old, None, [])]
    events = sorted(_linked(before, name) & _linked(after, name))
    changes: list[Change] = []
    if old["description"] != new["description"]:
        changes.append(
            _change(
                NEUTRAL,
                "property_group",
                "changed",
                f"{path}.description",
                old["description"],
                new["description"],
                events,
            )
        )
    old_props, new_props = old["properties"], new["properties"]
    for prop in sorted({*old_props, *new_props}):
        where = f"{path}.properties.{prop}"
        if prop not in old_props:
            found = classify.added({**new_props[prop], "name": prop})
            changes.append(_change(found, "property", "added", where, None, new_props[prop], events))
        elif prop not in new_props:
            found = TIGHTENING if _flags_unexpected(after, events) else LOOSENING
            changes.append(_change(found, "property", "removed", where, old_props[prop], None, events))
        else:
            for finding in classify.declaration(old_props[prop], new_props[prop]):
                detail = f"{where}.{finding.path}"
                changes.append(
                    _change(
                        finding.classification, "property", "changed", detail, finding.before, finding.after, events
                    )
                )
    return changes


def _group_tightens(document: Document, group: str) -> str:
    """Linking a group: any property it declares can now flag an event (see classify.added)."""
    properties = document["property_groups"][group]["properties"]
    found = [classify.added({**values, "name": name}) for name, values in properties.items()]
    return classify.overall(found) if found else NEUTRAL


def _event(before: Document, after: Document, name: str) -> list[Change]:
    path = f"events.{name}"
    old, new = before["events"].get(name), after["events"].get(name)
    changes: list[Change] = []
    if old is None:
        changes.append(_change(NEUTRAL, "event", "added", path, None, new, [name]))
    elif new is None:
        changes.append(_change(NEUTRAL, "event", "removed", path, old, None, [name]))
    else:
        for field in ("description", "enforcement_mode", "flag_unexpected"):
            if old[field] != new[field]:
                changes.append(
                    _change(
                        _event_field(field, old[field], new[field]),
                        "event",
                        "changed",
                        f"{path}.{field}",
                        old[field],
                        new[field],
                        [name],
                    )
                )
    old_groups = set(old["property_groups"]) if old else set()
    new_groups = set(new["property_groups"]) if new else set()
    for group in sorted(new_groups - old_groups):
        changes.append(
            _change(
                _group_tightens(after, group), "link", "added", f"{path}.property_groups.{group}", None, group, [name]
            )
        )
    for group in sorted(old_groups - new_groups):
        found = _group_tightens(before, group)
        if found != NEUTRAL:
            found = TIGHTENING if new is not None and _flags_unexpected(after, [name]) else LOOSENING
        changes.append(_change(found, "link", "removed", f"{path}.property_groups.{group}", group, None, [name]))
    return changes


def _event_field(field: str, before: Any, after: Any) -> str:
    if field == "enforcement_mode":
        return TIGHTENING if ENFORCEMENT_ORDER.index(after) > ENFORCEMENT_ORDER.index(before) else LOOSENING
    if field == "flag_unexpected":
        return TIGHTENING if after else LOOSENING
    return NEUTRAL


def describe(change: Change) -> str:
    """One line, e.g. `tightening  changed events.a.enforcement_mode: "allow" -> "reject" (events: a)`."""
    line = f"{change['classification']:<10}  {change['action']} {change['path']}"
    if change["action"] == "changed":
        line += f": {_short(change['before'])} -> {_short(change['after'])}"
    if change["events"]:
        line += f" (events: {', '.join(change['events'])})"
    return line


def _short(value: Any) -> str:
    return orjson.dumps(value).decode()


def offending(changes: list[Change], fail_on: str) -> list[Change]:
    """The changes `plan check --fail-on` refuses: tightening ones, or any."""
    return [change for change in changes if fail_on == "any" or change["classification"] == TIGHTENING]
