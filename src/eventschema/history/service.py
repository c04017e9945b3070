"""Reading the history: the versions of a plan, the diff between two, and the activity log in PostHog's shape."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.history import repository, versions
from eventschema.history.states import EVENT, GROUP, LINK, PROJECT
from eventschema.models import PlanChange

SCOPES = {GROUP: "SchemaPropertyGroup", EVENT: "EventDefinition", LINK: "EventSchema", PROJECT: "Project"}
KINDS = {scope: kind for kind, scope in SCOPES.items()}


async def versions_page(
    session: AsyncSession, project_id: int, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    await versions.seal(session, project_id)
    total, rows = await repository.versions_page(session, project_id, limit, offset)
    return total, [{"version": row.number, "created_at": row.created_at, "user": row.actor} for row in rows]


async def check_version(session: AsyncSession, project_id: int, number: int) -> None:
    if number != 0 and await repository.get_version(session, project_id, number) is None:
        raise errors.NotFound(f"Version {number} does not exist.")


async def activity_page(
    session: AsyncSession, project_id: int, scope: str | None, item_id: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    kind = None
    if scope is not None:
        if scope not in KINDS:
            raise errors.ValidationError(
                f'"{scope}" is not a valid choice. Choose one of: {", ".join(KINDS)}.', attr="scope"
            )
        kind = KINDS[scope]
    total, rows = await repository.activity_page(session, project_id, kind, item_id, limit, offset)
    previous = await repository.previous_states(session, project_id, rows)
    return total, [_activity(row, previous[row.id]) for row in rows]


def _activity(row: PlanChange, before: dict[str, Any] | None) -> dict[str, Any]:
    after = row.state
    activity = "created" if before is None else "deleted" if after is None else "updated"
    shown = after if after is not None else before or {}
    changes = []
    if activity == "updated":
        assert before is not None and after is not None
        for field in [*before, *(key for key in after if key not in before)]:
            if before.get(field) != after.get(field):
                changes.append(
                    {
                        "type": SCOPES[row.kind],
                        "action": "changed",
                        "field": field,
                        "before": before.get(field),
                        "after": after.get(field),
                    }
                )
    return {
        "user": row.actor,
        "activity": activity,
        "scope": SCOPES[row.kind],
        "item_id": row.entity_id,
        "detail": {"name": shown.get("name"), "changes": changes},
        "created_at": row.created_at,
    }
