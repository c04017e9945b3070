"""/api/projects/:project_id/activity_log/ — who changed what in the plan, in PostHog's activity-log shape."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.fields import QueryText
from eventschema.history import service
from eventschema.openapi import list_parameters, query
from eventschema.pagination import page_params
from eventschema.routing import paginated

router = APIRouter(prefix="/api/projects/{project_id}/activity_log", tags=["tracking plan"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]
SCOPE = {"type": "string", "enum": list(service.KINDS)}


@router.get(
    "/",
    openapi_extra=list_parameters(
        query("scope", "Only changes to this kind of object.", SCOPE), query("item_id", "Only changes to this object.")
    ),
)
async def activity_log(
    request: Request,
    project: Project,
    session: SessionDep,
    settings: SettingsDep,
    scope: QueryText = None,
    item_id: QueryText = None,
) -> Response:
    page = page_params(request, settings)
    total, results = await service.activity_page(session, project.id, scope, item_id, page.limit, page.offset)
    return paginated(request, settings, page, total, results)
