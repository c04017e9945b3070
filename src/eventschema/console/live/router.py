"""/projects/{project_id}/live/ and the rows it refreshes itself with, /projects/{project_id}/live/rows/."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.live import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/live", include_in_schema=False)


@router.get("/")
async def live_events(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    found = await service.newest(session, page.project.id, service.parse_event(request.query_params.get("event")))
    return render(request, "live/page.html", page, live=found, refresh_ms=service.REFRESH_MS)


@router.get("/rows/")
async def live_rows(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    """The table's body alone (an HTML fragment), for console.js to swap in."""
    found = await service.newest(session, page.project.id, service.parse_event(request.query_params.get("event")))
    return render(request, "live/rows.html", page, live=found)
