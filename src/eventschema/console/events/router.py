"""/projects/{project_id}/events/, /projects/{project_id}/events/{definition_id}/, and
/projects/{project_id}/events/by_name/?name= (a redirect to the event's page, for links that know only its name)."""

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from eventschema.console.deps import PageNotFound, ProjectPageDep
from eventschema.console.events import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep
from eventschema.models import ENFORCEMENT_MODES

router = APIRouter(prefix="/projects/{project_id}/events", include_in_schema=False)


@router.get("/")
async def event_list(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    params = request.query_params
    query = service.ListQuery.parse(params.get("q"), params.get("sort"), params.get("page"))
    events = await service.list_events(session, page.project.id, query)
    return render(request, "events/list.html", page, events=events)


@router.get("/by_name/")
async def event_by_name(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    definition_id = await service.definition_id_named(session, page.project.id, request.query_params.get("name", ""))
    if definition_id is None:
        raise PageNotFound()
    return RedirectResponse(page.url(f"events/{definition_id}/"), status_code=303)


@router.get("/{definition_id}/")
async def event_page(request: Request, definition_id: str, page: ProjectPageDep, session: SessionDep) -> Response:
    try:
        parsed = UUID(definition_id)
    except ValueError:
        raise PageNotFound() from None
    detail = await service.event_detail(session, page.project.id, parsed)
    if detail is None:
        raise PageNotFound()
    return render(request, "events/detail.html", page, event=detail, modes=ENFORCEMENT_MODES)
