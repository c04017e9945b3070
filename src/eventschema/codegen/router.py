"""/api/projects/:project_id/event_definitions/{typescript,python,golang,json,jsonschema}/ — generated client code.

Included in the app before the event definitions router, whose `/{id}/` route would otherwise take these
paths; any other language is such an id and gets that route's 404.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from eventschema.codegen import service
from eventschema.codegen.schemas import GeneratedCodeRead
from eventschema.dependencies import ProjectContext, ResponsesDep, SessionDep, project_access

router = APIRouter(prefix="/api/projects/{project_id}/event_definitions", tags=["event definitions"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


async def _generated(project: ProjectContext, session: SessionDep, responses: ResponsesDep, language: str) -> Response:
    body, media_type = await service.generated_body(session, responses, project.id, language)
    return Response(body, media_type=media_type)


@router.get("/typescript/", response_model=GeneratedCodeRead)
async def typescript_definitions(project: Project, session: SessionDep, responses: ResponsesDep) -> Response:
    return await _generated(project, session, responses, "typescript")


@router.get("/python/", response_model=GeneratedCodeRead)
async def python_definitions(project: Project, session: SessionDep, responses: ResponsesDep) -> Response:
    return await _generated(project, session, responses, "python")


@router.get("/golang/", response_model=GeneratedCodeRead)
async def golang_definitions(project: Project, session: SessionDep, responses: ResponsesDep) -> Response:
    return await _generated(project, session, responses, "golang")


@router.get("/json/", response_model=GeneratedCodeRead)
async def json_definitions(project: Project, session: SessionDep, responses: ResponsesDep) -> Response:
    return await _generated(project, session, responses, "json")


@router.get("/jsonschema/", response_model=GeneratedCodeRead)
async def json_schema_definitions(project: Project, session: SessionDep, responses: ResponsesDep) -> Response:
    return await _generated(project, session, responses, "jsonschema")
