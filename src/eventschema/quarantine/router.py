"""/api/projects/:project_id/quarantine/ — list (?event=&reason=&after=&before=), retrieve, delete, replay (by ids or
the same filters)."""

from datetime import UTC, datetime
from typing import Annotated, get_args

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema import errors
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.enforcement.router import PlansDep
from eventschema.errors import no_nul
from eventschema.openapi import list_parameters, query, request_body
from eventschema.pagination import page_params
from eventschema.quarantine import service
from eventschema.quarantine.repository import Filters
from eventschema.quarantine.schemas import QuarantinedEventPage, QuarantinedEventRead, Reason, ReplayRead, ReplayRequest
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, no_content, object_id, paginated, parse

# Empty values mean no filter.
REASON_OR_EMPTY = {"type": "string", "enum": [*get_args(Reason), ""]}
TIME = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]}
router = APIRouter(prefix="/api/projects/{project_id}/quarantine", tags=["quarantine"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


def _time(name: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise errors.ValidationError("Enter a valid date/time.", attr=name) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _reason(raw: str | None) -> str | None:
    if raw and raw not in get_args(Reason):
        raise errors.ValidationError(f'"{raw}" is not a valid choice.', code="invalid_choice", attr="reason")
    return raw or None


@router.get(
    "/",
    response_model=QuarantinedEventPage,
    openapi_extra=list_parameters(
        query("event", "Only events of this name."),
        query("reason", "Only events quarantined for this reason.", REASON_OR_EMPTY),
        query("after", "Received at or after this time (ISO 8601; without a zone, UTC).", TIME),
        query("before", "Received before this time (ISO 8601; without a zone, UTC).", TIME),
    ),
)
async def list_quarantined_events(
    request: Request,
    project: Project,
    session: SessionDep,
    settings: SettingsDep,
    event: str | None = None,
    reason: str | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Response:
    event = no_nul("event", event)
    filters = Filters(event=event, reason=_reason(reason), after=_time("after", after), before=_time("before", before))
    page = page_params(request, settings)
    total, rows = await service.list_page(session, project.id, filters, page.limit, page.offset)
    results = [service.event_dict(row) for row in rows]
    try:
        return paginated(request, settings, page, total, results)
    except orjson.JSONEncodeError:
        return paginated(request, settings, page, total, [service.renderable(item) for item in results])


@router.post("/replay/", response_model=ReplayRead, openapi_extra=request_body(ReplayRequest))
async def replay_quarantined_events(
    project: Project, session: SessionDep, settings: SettingsDep, plans: PlansDep, body: BodyDep
) -> Response:
    data = parse(ReplayRequest, body)
    filters = Filters(event=data.event, reason=data.reason, after=data.after, before=data.before, ids=data.ids)
    result = await service.replay(session, plans, settings, project.id, project.project.api_token, filters)
    await session.commit()
    return JSONResponse(result)


@router.get("/{id}/", response_model=QuarantinedEventRead)
async def retrieve_quarantined_event(id: str, project: Project, session: SessionDep) -> Response:
    item = service.event_dict(await service.retrieve(session, project.id, object_id(id)))
    try:
        return JSONResponse(item)
    except orjson.JSONEncodeError:
        return JSONResponse(service.renderable(item))


@router.delete("/{id}/", status_code=204)
async def delete_quarantined_event(id: str, project: Project, session: SessionDep) -> Response:
    await service.delete(session, project.id, object_id(id))
    await session.commit()
    return no_content()
