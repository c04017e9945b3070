"""/projects/{project_id}/drift/ (`?event=NAME` shows the proposal for an unplanned event, `?page=N` pages)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.drift import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/drift", include_in_schema=False)


@router.get("/")
async def drift_page(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    params = request.query_params
    found = await service.drift(session, page.project.id, service.page_number(params.get("page")), params.get("event"))
    return render(request, "drift/page.html", page, drift=found)
