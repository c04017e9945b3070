"""/projects/{project_id}/violations/."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.templating import render
from eventschema.console.violations import service
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/violations", include_in_schema=False)


@router.get("/")
async def violations(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    found = await service.violations(session, page.project.id, service.parse_page(request.query_params.get("page")))
    chart = found.chart()
    return render(request, "violations/list.html", page, violations=found, chart=chart, sizes=service)
