"""/api/projects/ — the projects this key may see."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.auth.principal import Principal
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access, scoped
from eventschema.pagination import page_params
from eventschema.projects import service
from eventschema.projects.schemas import ProjectPage, ProjectRead
from eventschema.rendering import JSONResponse
from eventschema.routing import paginated

router = APIRouter(prefix="/api/projects", tags=["projects"])


@router.get("/", response_model=ProjectPage)
async def list_projects(
    request: Request,
    principal: Annotated[Principal, Depends(scoped("project"))],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    page = page_params(request, settings)
    total, rows = await service.list_visible(session, principal, page.limit, page.offset)
    return paginated(request, settings, page, total, [service.project_dict(row) for row in rows])


@router.get("/{project_id}/", response_model=ProjectRead)
async def retrieve_project(project: Annotated[ProjectContext, Depends(project_access("project"))]) -> Response:
    return JSONResponse(service.project_dict(project.project))
