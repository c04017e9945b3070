"""/api/projects/:project_id/event_definitions/ — list (?search=), create, retrieve, update, delete, by_name."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.event_definitions import service
from eventschema.event_definitions.schemas import (
    EventDefinitionCreate,
    EventDefinitionPage,
    EventDefinitionRead,
    EventDefinitionUpdate,
)
from eventschema.fields import QueryText
from eventschema.models import EventDefinition
from eventschema.openapi import creation, list_parameters, query, request_body
from eventschema.pagination import page_params
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, created, no_content, object_id, paginated, parse, parse_for_update

# Missing or empty: 400 `required`.
NAME = {"type": "string", "minLength": 1, "pattern": "^[^\\x00]*$"}
router = APIRouter(prefix="/api/projects/{project_id}/event_definitions", tags=["event definitions"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


def _read(definition: EventDefinition) -> dict[str, object]:
    return EventDefinitionRead.model_validate(definition, from_attributes=True).model_dump()


@router.get(
    "/",
    response_model=EventDefinitionPage,
    openapi_extra=list_parameters(query("search", "Only definitions whose name contains this text.")),
)
async def list_event_definitions(
    request: Request, project: Project, session: SessionDep, settings: SettingsDep, search: QueryText = None
) -> Response:
    page = page_params(request, settings)
    total, rows = await service.list_page(session, project.id, search, page.limit, page.offset)
    return paginated(request, settings, page, total, [_read(row) for row in rows])


@router.post(
    "/",
    status_code=201,
    response_model=EventDefinitionRead,
    openapi_extra=creation("event_definition", request_body(EventDefinitionCreate)),
)
async def create_event_definition(project: Project, session: SessionDep, body: BodyDep) -> Response:
    definition = await service.create(session, project.id, parse(EventDefinitionCreate, body))
    await session.commit()
    return created(_read(definition))


@router.get(
    "/by_name/",
    response_model=EventDefinitionRead,
    openapi_extra={"parameters": [query("name", "The exact name.", NAME, required=True)]},
)
async def event_definition_by_name(project: Project, session: SessionDep, name: str | None = None) -> Response:
    return JSONResponse(_read(await service.by_name(session, project.id, name)))


@router.get("/{id}/", response_model=EventDefinitionRead)
async def retrieve_event_definition(id: str, project: Project, session: SessionDep) -> Response:
    return JSONResponse(_read(await service.retrieve(session, project.id, object_id(id))))


@router.patch("/{id}/", response_model=EventDefinitionRead, openapi_extra=request_body(EventDefinitionUpdate))
async def update_event_definition(id: str, project: Project, session: SessionDep, body: BodyDep) -> Response:
    definition_id = object_id(id)
    data = await parse_for_update(
        EventDefinitionUpdate, body, lambda: service.retrieve(session, project.id, definition_id)
    )
    definition = await service.update(session, project.id, definition_id, data)
    await session.commit()
    return JSONResponse(_read(definition))


@router.put("/{id}/", response_model=EventDefinitionRead, openapi_extra=request_body(EventDefinitionCreate))
async def replace_event_definition(id: str, project: Project, session: SessionDep, body: BodyDep) -> Response:
    definition_id = object_id(id)
    data = await parse_for_update(
        EventDefinitionCreate, body, lambda: service.retrieve(session, project.id, definition_id)
    )
    definition = await service.update(session, project.id, definition_id, data)
    await session.commit()
    return JSONResponse(_read(definition))


@router.delete("/{id}/", status_code=204)
async def delete_event_definition(id: str, project: Project, session: SessionDep) -> Response:
    await service.delete(session, project.id, object_id(id))
    await session.commit()
    return no_content()
