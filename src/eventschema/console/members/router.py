"""/projects/{project_id}/members/."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.members import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/members", include_in_schema=False)


@router.get("/")
async def members_page(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    found = await service.members(session, page.project.organization_id, page.user.id, page.level)
    organization_api = f"/api/organizations/{page.project.organization_id}/"
    return render(request, "members/page.html", page, members=found, organization_api=organization_api)
