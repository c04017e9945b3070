"""Make a project's plan equal to a target document: the writes of `apply`, given what is there now.

Properties that keep their name keep their id; a group or event is written only where it differs. Every write
goes straight to the tables (one transaction, owned by the caller), `validation_rules` included.
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.history.states import EVENT, GROUP, LINK, PROJECT, States
from eventschema.ids import uuid7
from eventschema.models import utcnow
from eventschema.plan import repository
from eventschema.plan.classify import same
from eventschema.plan.document import Document
from eventschema.property_groups import repository as groups_repository

UNIQUE = {
    "uq_schema_property_groups_project_id_name": errors.ValidationError(
        "A property group of this name was created meanwhile; try again.", attr="plan"
    ),
    "uq_event_definitions_project_id_name": errors.ValidationError(
        "An event definition of this name was created meanwhile; try again.", attr="plan"
    ),
}


@dataclass
class Written:
    """What the writes touched, for the schema versions of the events."""

    new_events: set[UUID] = field(default_factory=set)
    events: set[UUID] = field(default_factory=set)
    groups: set[UUID] = field(default_factory=set)


def _ids(current: States, kind: str) -> dict[str, tuple[UUID, dict[str, Any]]]:
    """name -> (id, state) of one kind."""
    return {state["name"]: (UUID(key[1]), state) for key, state in current.items() if key[0] == kind}


async def write(
    session: AsyncSession, project_id: int, user_id: int | None, current: States, target: Document
) -> Written:
    written = Written()
    now = utcnow()
    with errors.unique_violations(UNIQUE):
        mode = next(state["validation_mode"] for key, state in current.items() if key[0] == PROJECT)
        if mode != target["validation_mode"]:
            await repository.set_validation_mode(session, project_id, target["validation_mode"])
        group_ids = await _write_groups(session, project_id, user_id, current, target, written, now)
        event_ids = await _write_events(session, project_id, current, target, written, now)
        await _write_links(session, project_id, current, target, group_ids, event_ids, written, now)
    return written


def _property_row(group_id: UUID, name: str, values: dict[str, Any], now: Any) -> dict[str, Any]:
    return {
        "id": uuid7(),
        "property_group_id": group_id,
        **_property_values(name, values),
        "created_at": now,
        "updated_at": now,
    }


def _property_values(name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "property_type": values["property_type"],
        "is_required": values["is_required"],
        "is_optional_in_types": values["is_optional_in_types"],
        "description": values["description"],
        "validation_rules": values.get("validation_rules"),
    }


async def _write_groups(
    session: AsyncSession,
    project_id: int,
    user_id: int | None,
    current: States,
    target: Document,
    written: Written,
    now: Any,
) -> dict[str, UUID]:
    existing = _ids(current, GROUP)
    ids: dict[str, UUID] = {}
    new_properties: list[dict[str, Any]] = []
    for name, group in target["property_groups"].items():
        if name not in existing:
            group_id = uuid7()
            values = {"id": group_id, "project_id": project_id, "name": name, "description": group["description"]}
            values.update(created_by_id=user_id, created_at=now, updated_at=now, revision=1)
            await repository.insert_group(session, values)
            new_properties += [_property_row(group_id, key, item, now) for key, item in group["properties"].items()]
            ids[name] = group_id
            continue
        group_id, state = existing[name]
        ids[name] = group_id
        before = {item["name"]: item for item in state["properties"]}
        after = group["properties"]
        changed = state["description"] != group["description"]
        gone = [UUID(item["id"]) for key, item in before.items() if key not in after]
        await repository.delete_properties(session, gone)
        for key, item in after.items():
            values = _property_values(key, item)
            if key not in before:
                new_properties.append(_property_row(group_id, key, item, now))
            elif any(not same(before[key].get(field), value) for field, value in values.items()):
                await repository.update_property(session, UUID(before[key]["id"]), {**values, "updated_at": now})
            else:
                continue
            changed = True
        if changed or gone:
            await repository.update_group(session, group_id, group["description"], now)
            written.groups.add(group_id)
    await repository.insert_properties(session, new_properties)
    removed = [group_id for name, (group_id, _) in existing.items() if name not in target["property_groups"]]
    await repository.delete_groups(session, removed)
    return ids


async def _write_events(
    session: AsyncSession, project_id: int, current: States, target: Document, written: Written, now: Any
) -> dict[str, UUID]:
    existing = _ids(current, EVENT)
    ids: dict[str, UUID] = {}
    for name, event in target["events"].items():
        values = {key: event[key] for key in ("description", "enforcement_mode", "flag_unexpected")}
        if name not in existing:
            event_id = uuid7()
            await repository.insert_event(
                session, {"id": event_id, "project_id": project_id, "name": name, **values, "created_at": now}
            )
            written.new_events.add(event_id)
        else:
            event_id, state = existing[name]
            if any(state[key] != value for key, value in values.items()):
                await repository.update_event(session, event_id, values)
                written.events.add(event_id)
        ids[name] = event_id
    removed = [event_id for name, (event_id, _) in existing.items() if name not in target["events"]]
    # Their groups list them: rebuilt representations must drop them.
    await groups_repository.bump_revisions(session, await repository.groups_linked_to(session, removed))
    await repository.delete_events(session, removed)
    return ids


async def _write_links(
    session: AsyncSession,
    project_id: int,
    current: States,
    target: Document,
    group_ids: dict[str, UUID],
    event_ids: dict[str, UUID],
    written: Written,
    now: Any,
) -> None:
    existing: dict[tuple[UUID, UUID], UUID] = {
        (UUID(state["event_definition_id"]), UUID(state["property_group_id"])): UUID(key[1])
        for key, state in current.items()
        if key[0] == LINK
    }
    wanted = {
        (event_ids[name], group_ids[group])
        for name, event in target["events"].items()
        for group in event["property_groups"]
    }
    # Links of events and groups deleted above went with them.
    alive = set(event_ids.values()), set(group_ids.values())
    gone = [pair for pair in existing if pair not in wanted and pair[0] in alive[0] and pair[1] in alive[1]]
    await repository.delete_links(session, [existing[pair] for pair in gone])
    added = sorted(pair for pair in wanted if pair not in existing)
    rows = [
        {
            "id": uuid7(),
            "project_id": project_id,
            "event_definition_id": event_id,
            "property_group_id": group_id,
            "created_at": now,
            "updated_at": now,
        }
        for event_id, group_id in added
    ]
    await repository.insert_links(session, rows)
    touched = [*gone, *added]
    written.events.update(event_id for event_id, _ in touched)
    await groups_repository.bump_revisions(session, {group_id for _, group_id in touched}, now)
