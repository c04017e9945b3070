"""A plan read from, or published to, any server that speaks PostHog's API, through its public endpoints only:
schema_property_groups, event_definitions (by_name for the events a plan names) and event_schemas.

Publishing is a series of ordinary API calls, not one transaction: a failure half-way leaves what was done,
and running it again finishes the job (every step is computed from what the server has).
"""

from collections.abc import Callable
from typing import Any

import httpx

from eventschema.history import states
from eventschema.history.states import EVENT, GROUP, LINK, States
from eventschema.plan import document
from eventschema.plan.diff import Change, diff
from eventschema.plan.document import Document

PAGE = 100


class RemoteError(Exception):
    """The server refused a request or answered something unexpected."""


class Remote:
    def __init__(self, client: httpx.Client, project: str) -> None:
        self.client = client
        self.base = f"/api/projects/{project}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path if path.startswith("http") else self.base + path, **kwargs)
        if response.status_code == 404 and method == "GET" and "by_name" in path:
            return None
        if response.status_code >= 300:
            raise RemoteError(f"{method} {path} answered {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else None

    def _all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        page = self.call("GET", path, params={"limit": PAGE, **params})
        while True:
            results += page["results"]
            if not page.get("next"):
                return results
            page = self.call("GET", page["next"])

    def read(self, event_names: list[str] | None = None) -> tuple[States, dict[tuple[str, str], dict[str, Any]]]:
        """The remote plan as entity states (ids are the server's), and its objects by state key.

        event_names: only these events (looked up by name), else every event definition."""
        found: States = {}
        objects: dict[tuple[str, str], dict[str, Any]] = {}
        for group in self._all("/schema_property_groups/"):
            properties = [{"validation_rules": None, **item} for item in group["properties"]]
            found[(GROUP, str(group["id"]))] = states.group_state(
                group["name"], group.get("description") or "", properties
            )
            objects[(GROUP, str(group["id"]))] = group
        if event_names is None:
            events = self._all("/event_definitions/")
        else:
            events = [
                event
                for name in event_names
                if (event := self.call("GET", "/event_definitions/by_name/", params={"name": name}))
            ]
        for event in events:
            values = {
                "enforcement_mode": "allow",
                "flag_unexpected": False,
                **event,
                "description": event.get("description") or "",
            }
            found[(EVENT, str(event["id"]))] = states.event_state(_Attributes(values))
            objects[(EVENT, str(event["id"]))] = event
            for link in self._all("/event_schemas/", event_definition=event["id"]):
                found[(LINK, str(link["id"]))] = states.link_state(link["event_definition"], link["property_group_id"])
        return states.live(found), objects


class _Attributes:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def pulled(remote: Remote) -> Document:
    """The remote plan as a document; without `validation_mode`, which PostHog's API does not have."""
    found, _ = remote.read()
    content = document.build(found)
    del content["validation_mode"]
    return content


def push(remote: Remote, text: str, *, dry_run: bool, say: Callable[[str], None]) -> list[Change]:
    """Make the remote plan hold the file's groups and events (others are left alone); returns the changes."""
    plan = document.parse(text)
    found, objects = remote.read(sorted(plan.events))
    current = document.build(found)
    target = document.merge(current, document.normalise(plan, current), prune=False)
    target["validation_mode"] = current["validation_mode"]  # not published: PostHog has no such setting
    changes = diff(current, target)
    if dry_run or not changes:
        return changes
    groups = {state["name"]: key[1] for key, state in found.items() if key[0] == GROUP}
    for name, group in target["property_groups"].items():
        if name in groups and current["property_groups"][name] == group:
            continue
        ids = (
            {item["name"]: item["id"] for item in objects[(GROUP, groups[name])]["properties"]}
            if name in groups
            else {}
        )
        properties = [
            {**({"id": ids[key]} if key in ids else {}), "name": key, "validation_rules": None, **values}
            for key, values in group["properties"].items()
        ]
        body = {"name": name, "description": group["description"], "properties": properties}
        if name in groups:
            remote.call("PATCH", f"/schema_property_groups/{groups[name]}/", json=body)
            say(f"updated property group {name}")
        else:
            groups[name] = str(remote.call("POST", "/schema_property_groups/", json=body)["id"])
            say(f"created property group {name}")
    events = {state["name"]: key[1] for key, state in found.items() if key[0] == EVENT}
    for name in sorted(plan.events):
        event = target["events"][name]
        fields = {key: event[key] for key in ("description", "enforcement_mode", "flag_unexpected")}
        if name not in events:
            events[name] = str(remote.call("POST", "/event_definitions/", json={"name": name, **fields})["id"])
            say(f"created event definition {name}")
        elif {key: current["events"][name][key] for key in fields} != fields:
            remote.call("PATCH", f"/event_definitions/{events[name]}/", json=fields)
            say(f"updated event definition {name}")
        links = {
            found[(GROUP, state["property_group_id"])]["name"]: key[1]
            for key, state in found.items()
            if key[0] == LINK and state["event_definition_id"] == events[name]
        }
        for group_name in event["property_groups"]:
            if group_name not in links:
                body = {"event_definition": events[name], "property_group_id": groups[group_name]}
                remote.call("POST", "/event_schemas/", json=body)
                say(f"linked {group_name} to {name}")
        for group_name, link_id in links.items():
            if group_name not in event["property_groups"]:
                remote.call("DELETE", f"/event_schemas/{link_id}/")
                say(f"unlinked {group_name} from {name}")
    return changes
