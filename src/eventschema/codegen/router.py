"""/api/projects/:project_id/event_definitions/{typescript,python,golang,json,jsonschema}/ — generated client code.

Included in the app before the event definitions router, whose `/{id}/` route would otherwise take these
paths; any other language is such an id and gets that route's 404.
"""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from eventschema.codegen import service
from eventschema.codegen.schemas import GeneratedCodeRead
from eventschema.dependencies import ProjectContext, SessionDep, project_access
from eventschema.rendering import JSONResponse

router = APIRouter(prefix="/api/projects/{project_id}/event_definitions", tags=["event definitions"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


async def _generated(project: ProjectContext, session: SessionDep, language: str) -> Response:
    return JSONResponse(asdict(await service.generated_code(session, project.id, language)))


@router.get("/typescript/", response_model=GeneratedCodeRead)
async def typescript_definitions(project: Project, session: SessionDep) -> Response:
    return await _generated(project, session, "typescript")


@router.get("/python/", response_model=GeneratedCodeRead)
async def python_definitions(project: Project, session: SessionDep) -> Response:
    return await _generated(project, session, "python")


@router.get("/golang/", response_model=GeneratedCodeRead)
async def golang_definitions(project: Project, session: SessionDep) -> Response:
    return await _generated(project, session, "golang")


@router.get("/json/", response_model=GeneratedCodeRead)
async def json_definitions(project: Project, session: SessionDep) -> Response:
    return await _generated(project, session, "json")


@router.get("/jsonschema/", response_model=GeneratedCodeRead)
async def json_schema_definitions(project: Project, session: SessionDep) -> Response:
    return await _generated(project, session, "jsonschema")
