"""/api/projects/ — the projects this key may see, their API key rotation and validation settings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.auth.principal import Principal
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access, scoped
from eventschema.openapi import list_parameters, request_body
from eventschema.pagination import page_params
from eventschema.projects import service
from eventschema.projects.schemas import ProjectPage, ProjectRead, ValidationSettingsRead, ValidationSettingsUpdate
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, paginated, parse

router = APIRouter(prefix="/api/projects", tags=["projects"])
Project = Annotated[ProjectContext, Depends(project_access("project"))]


@router.get("/", response_model=ProjectPage, openapi_extra=list_parameters())
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
async def retrieve_project(project: Project) -> Response:
    return JSONResponse(service.project_dict(project.project))


@router.post("/{project_id}/rotate_token/", response_model=ProjectRead)
async def rotate_project_token(project: Project, session: SessionDep) -> Response:
    """A new public project API key (`api_token`); events sent with the old one are refused from then on."""
    rotated = await service.rotate_token(session, project.id)
    await session.commit()
    return JSONResponse(service.project_dict(rotated))


@router.get("/{project_id}/validation_settings/", response_model=ValidationSettingsRead)
async def retrieve_validation_settings(project: Project, session: SessionDep) -> Response:
    return JSONResponse(await service.validation_settings(session, project.id))


@router.patch(
    "/{project_id}/validation_settings/",
    response_model=ValidationSettingsRead,
    openapi_extra=request_body(ValidationSettingsUpdate),
)
async def update_validation_settings(project: Project, session: SessionDep, body: BodyDep) -> Response:
    result = await service.update_validation_settings(session, project.id, parse(ValidationSettingsUpdate, body))
    await session.commit()
    return JSONResponse(result)
