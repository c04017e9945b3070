"""/api/projects/:project_id/events/ — the local event log, newest first (?event= to filter by name)."""

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.errors import no_nul
from eventschema.events import service
from eventschema.events.schemas import EventPage
from eventschema.openapi import list_parameters, query
from eventschema.pagination import page_params
from eventschema.routing import paginated

router = APIRouter(prefix="/api/projects/{project_id}/events", tags=["events"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


@router.get("/", response_model=EventPage, openapi_extra=list_parameters(query("event", "Only events of this name.")))
async def list_events(
    request: Request, project: Project, session: SessionDep, settings: SettingsDep, event: str | None = None
) -> Response:
    page = page_params(request, settings)
    total, rows = await service.list_page(session, project.id, no_nul("event", event), page.limit, page.offset)
    results = [service.event_dict(row) for row in rows]
    try:
        return paginated(request, settings, page, total, results)
    except orjson.JSONEncodeError:
        return paginated(request, settings, page, total, [service.renderable(item) for item in results])
