"""/api/projects/ — the projects this key may see, their settings, API key rotation and validation settings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.auth.principal import Principal
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access, scoped
from eventschema.openapi import list_parameters, request_body
from eventschema.pagination import page_params
from eventschema.projects import service
from eventschema.projects.schemas import (
    ProjectPage,
    ProjectRead,
    ProjectUpdate,
    ValidationSettingsRead,
    ValidationSettingsUpdate,
)
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
async def retrieve_project(project: Project, session: SessionDep) -> Response:
    return JSONResponse(await service.retrieve(session, project.project))


@router.patch("/{project_id}/", response_model=ProjectRead, openapi_extra=request_body(ProjectUpdate))
async def update_project(project: Project, session: SessionDep, body: BodyDep) -> Response:
    """`observe_examples: false` stops keeping example values of observed properties, and forgets those kept."""
    result = await service.update(session, project.project, parse(ProjectUpdate, body))
    await session.commit()
    return JSONResponse(result)


@router.post("/{project_id}/rotate_token/", response_model=ProjectRead)
async def rotate_project_token(project: Project, session: SessionDep) -> Response:
    """A new public project API key (`api_token`); events sent with the old one are refused from then on."""
    rotated = await service.rotate_token(session, project.id)
    result = await service.retrieve(session, rotated)
    await session.commit()
    return JSONResponse(result)


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
