"""Hooks the plan's writers call: append the after-state of what they changed, in their own transaction.

A write costs one INSERT (plus, for an update, one read of the entity's previous state, so that a write that
changes nothing records nothing), and never waits for another writer: versions are numbered later (`versions`).
Who made the change is the request's principal, which `dependencies` leaves in `session.info[ACTOR]`.
"""

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from eventschema.history import repository, states
from eventschema.history.states import EVENT, GROUP, LINK, PROJECT, State
from eventschema.ids import uuid7
from eventschema.models import EventDefinition, EventSchema, utcnow
from eventschema.property_groups import repository as groups_repository

ACTOR = "eventschema_actor"
_CHANGE_KEY = "eventschema_plan_change_key"
Entry = tuple[str, str, State | None]


def actor_of(session: AsyncSession) -> dict[str, Any] | None:
    user = session.info.get(ACTOR)
    if user is None:
        return None
    return {
        "id": user.id,
        "uuid": str(user.uuid),
        "distinct_id": user.distinct_id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }


async def record(session: AsyncSession, project_id: int, entries: Sequence[Entry], *, new: bool = False) -> list[Entry]:
    """Append each entry whose state differs from the last one recorded; returns those appended.

    `new`: the entities were just created, so there is nothing to compare with (saves the read)."""
    previous = {} if new else await repository.latest_states(session, project_id, {entry[1] for entry in entries})
    changed = [entry for entry in entries if new or previous.get((entry[0], entry[1])) != entry[2]]
    if changed:
        await repository.append(session, [row(session, project_id, *entry) for entry in changed])
    return changed


def row(session: AsyncSession, project_id: int, kind: str, entity_id: str, state: State | None) -> dict[str, Any]:
    """The `plan_changes` row recording `state` as `kind`/`entity_id`'s new state, by the request's actor, as part
    of the session's one change."""
    return {
        "project_id": project_id,
        "change_key": session.info.setdefault(_CHANGE_KEY, str(uuid7())),
        "kind": kind,
        "entity_id": entity_id,
        "state": state,
        "actor": actor_of(session),
        "created_at": utcnow(),
    }


def group_created(
    session: AsyncSession, project_id: int, group: dict[str, Any], properties: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The row recording a new group, for the statement that inserts the group to write as well."""
    state = states.group_state(group["name"], group["description"], properties)
    return row(session, project_id, GROUP, str(group["id"]), state)


async def group_written(session: AsyncSession, project_id: int, group_id: UUID) -> None:
    group = await groups_repository.get(session, project_id, group_id)
    assert group is not None  # written in this transaction
    properties = await groups_repository.properties_of(session, group_id)
    values = [
        {**{key: getattr(item, key) for key in states.PROPERTY_KEYS}, "validation_rules": item.validation_rules}
        for item in properties
    ]
    state = states.group_state(group.name, group.description, values)
    if await record(session, project_id, [(GROUP, str(group_id), state)]):
        await repository.bump_event_versions(session, (), [group_id])


async def group_deleted(session: AsyncSession, project_id: int, group_id: UUID) -> None:
    """Before the delete: the events it is linked to are still known."""
    if await record(session, project_id, [(GROUP, str(group_id), None)]):
        await repository.bump_event_versions(session, (), [group_id])


async def event_written(session: AsyncSession, definition: EventDefinition, *, new: bool = False) -> None:
    entry = (EVENT, str(definition.id), states.event_state(definition))
    if await record(session, definition.project_id, [entry], new=new) and not new:
        definition.schema_version += 1
        await session.flush()


async def event_deleted(session: AsyncSession, project_id: int, definition_id: UUID) -> None:
    await record(session, project_id, [(EVENT, str(definition_id), None)])


async def events_known(session: AsyncSession, project_id: int, event_ids: Iterable[UUID]) -> None:
    """Records events the history has never seen (capture creates a definition for each new event name, which is
    no change to the plan), so that a link to one can be rebuilt."""
    wanted = {str(event_id) for event_id in event_ids}
    recorded = await repository.latest_states(session, project_id, wanted)
    missing = [UUID(event_id) for event_id in wanted if (EVENT, event_id) not in recorded]
    if missing:
        found = await repository.event_rows(session, missing)
        await record(session, project_id, [(EVENT, str(row.id), states.event_state(row)) for row in found], new=True)


async def link_written(session: AsyncSession, link: EventSchema, *, moved_from: UUID | None = None) -> None:
    """A new or changed link; `moved_from`: the event it was linked to before an update."""
    await events_known(session, link.project_id, [link.event_definition_id])
    state = states.link_state(link.event_definition_id, link.property_group_id)
    if await record(session, link.project_id, [(LINK, str(link.id), state)], new=moved_from is None):
        events = {link.event_definition_id} if moved_from is None else {link.event_definition_id, moved_from}
        await repository.bump_event_versions(session, events, ())


async def link_deleted(session: AsyncSession, link: EventSchema) -> None:
    if await record(session, link.project_id, [(LINK, str(link.id), None)]):
        await repository.bump_event_versions(session, [link.event_definition_id], ())


async def project_written(session: AsyncSession, project_id: int, validation_mode: str) -> None:
    await record(session, project_id, [(PROJECT, str(project_id), states.project_state(validation_mode))])


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _end_change(session: Session) -> None:
    session.info.pop(_CHANGE_KEY, None)
