"""/projects/{project_id}/settings/."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.settings import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/settings", include_in_schema=False)


@router.get("/")
async def settings_page(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    found = await service.settings(session, page.project.id, page.user.id, page.projects)
    return render(request, "settings/page.html", page, settings=found, scope_choices=service.SCOPE_CHOICES)
