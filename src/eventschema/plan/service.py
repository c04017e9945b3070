"""The plan as a whole: export it (now or as it was), diff a file against it, apply a file in one transaction."""

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth.principal import Principal
from eventschema.caching.responses import Body, ResponseCache
from eventschema.enforcement.changes import schema_changed
from eventschema.history import recorder, versions
from eventschema.history import repository as history_repository
from eventschema.history.states import LINK, States
from eventschema.plan import document, repository, writer
from eventschema.plan.classify import same
from eventschema.plan.diff import Change, diff
from eventschema.plan.document import Document
from eventschema.rendering import dumps


async def export(session: AsyncSession, project_id: int, at: str | None) -> Document:
    """The plan now, or as it was at version (or time) `at`."""
    if at is None:
        return document.build(await repository.snapshot(session, project_id))
    latest = await versions.seal(session, project_id)
    version = await versions.resolve(session, project_id, at, latest)
    return document.build(await versions.states_at(session, project_id, version))


def render(content: Document, format: str | None) -> Body:
    if format == "yaml":
        return document.to_yaml(content).encode(), "application/yaml"
    if format not in (None, "json"):
        raise errors.ValidationError(f'"{format}" is not a valid choice. Choose one of: json, yaml.', attr="format")
    return dumps(content), "application/json"


async def export_body(
    session: AsyncSession, responses: ResponseCache, project_id: int, at: str | None, format: str | None
) -> Body:
    """The plan as the API sends it; the current plan is built once per plan revision, a past one each time."""
    if format not in (None, "json", "yaml"):
        render({}, format)  # the 400, before any work
    if at is not None:
        return render(await export(session, project_id, at), format)

    async def build() -> Body:
        return render(await export(session, project_id, None), format)

    return await responses.body(session, project_id, ("plan", format or "json"), build)


async def _target(
    session: AsyncSession, project_id: int, plan: dict[str, Any] | str, prune: bool
) -> tuple[States, Document, Document]:
    parsed = document.parse(plan)
    current_states = await repository.snapshot(session, project_id)
    current = document.build(current_states)
    target = document.merge(current, document.normalise(parsed, current), prune=prune)
    return current_states, current, target


async def diff_file(
    session: AsyncSession, project_id: int, plan: dict[str, Any] | str, prune: bool
) -> tuple[list[Change], int]:
    latest = await versions.seal(session, project_id)
    _, current, target = await _target(session, project_id, plan, prune)
    return diff(current, target), latest


async def apply(
    session: AsyncSession,
    project_id: int,
    principal: Principal,
    plan: dict[str, Any] | str,
    *,
    prune: bool,
    dry_run: bool,
) -> tuple[list[Change], int]:
    """All or nothing; the project's row lock (taken by `seal`) makes concurrent applies run one after another,
    each against what the previous one left."""
    latest = await versions.seal(session, project_id)
    current_states, current, target = await _target(session, project_id, plan, prune)
    changes = diff(current, target)
    if dry_run or not changes:
        return changes, latest
    written = await writer.write(session, project_id, principal.user.id, current_states, target)
    after = await repository.snapshot(session, project_id)
    entries = [(kind, entity_id, after.get((kind, entity_id))) for kind, entity_id in sorted({*current_states, *after})]
    changed = [entry for entry in entries if not same(current_states.get(entry[:2]), entry[2])]
    await recorder.record(session, project_id, changed, new=True)
    linked = [UUID(state["event_definition_id"]) for (kind, _), state in after.items() if kind == LINK]
    await recorder.events_known(session, project_id, linked)
    await history_repository.bump_event_versions(session, written.events - written.new_events, written.groups)
    await schema_changed(session, project_id)
    return changes, await versions.seal(session, project_id)
