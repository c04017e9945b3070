"""/projects/{project_id}/quarantine/ and /projects/{project_id}/quarantine/{id}/."""

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import PageNotFound, ProjectPageDep
from eventschema.console.quarantine import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/quarantine", include_in_schema=False)


@router.get("/")
async def quarantine_list(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    query = service.Query.parse(request.query_params)
    found = await service.quarantine_page(session, page.project.id, query)
    return render(request, "quarantine/list.html", page, quarantine=found, reasons=service.REASONS)


@router.get("/{event_id}/")
async def quarantined_event(request: Request, event_id: str, page: ProjectPageDep, session: SessionDep) -> Response:
    try:
        parsed = UUID(event_id)
    except ValueError:
        raise PageNotFound() from None
    found = await service.detail(session, page.project.id, parsed)
    if found is None:
        raise PageNotFound()
    return render(request, "quarantine/detail.html", page, held=found)
