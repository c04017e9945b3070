"""/api/projects/:project_id/event_schemas/ — list, create, retrieve, update, delete."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access, snapshot
from eventschema.event_schemas import service
from eventschema.event_schemas.schemas import EventSchemaCreate, EventSchemaPage, EventSchemaRead, EventSchemaUpdate
from eventschema.openapi import creation, list_parameters, query, request_body
from eventschema.pagination import page_params
from eventschema.rendering import JSONResponse
from eventschema.routing import (
    BodyDep,
    RendererDep,
    created,
    no_content,
    object_id,
    paginated,
    parse,
    parse_for_update,
    uuid_filter,
)

# An empty value means no filter; anything else but a UUID is a 400.
UUID_OR_EMPTY = {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "maxLength": 0}]}
router = APIRouter(prefix="/api/projects/{project_id}/event_schemas", tags=["event schemas"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


@router.get(
    "/",
    response_model=EventSchemaPage,
    openapi_extra=list_parameters(
        query("event_definition", "Only the links of this event definition (its id).", UUID_OR_EMPTY)
    ),
)
async def list_event_schemas(
    request: Request, project: Project, session: SessionDep, settings: SettingsDep, renderer: RendererDep
) -> Response:
    page = page_params(request, settings)
    definition = uuid_filter("event_definition", request.query_params.get("event_definition"))
    pages = request.app.state.event_schema_pages
    version = (await snapshot(request, project.id)).version(project.id)
    total, results = await service.list_page(
        session, renderer, pages, version, project.id, definition, page.limit, page.offset
    )
    return paginated(request, settings, page, total, results)


@router.post(
    "/",
    status_code=201,
    response_model=EventSchemaRead,
    openapi_extra=creation("event_schema", request_body(EventSchemaCreate)),
)
async def create_event_schema(project: Project, session: SessionDep, renderer: RendererDep, body: BodyDep) -> Response:
    result = await service.create(session, renderer, project.id, parse(EventSchemaCreate, body))
    await session.commit()
    return created(result)


@router.get("/{id}/", response_model=EventSchemaRead)
async def retrieve_event_schema(id: str, project: Project, session: SessionDep, renderer: RendererDep) -> Response:
    return JSONResponse(await service.retrieve(session, renderer, project.id, object_id(id)))


@router.patch("/{id}/", response_model=EventSchemaRead, openapi_extra=request_body(EventSchemaUpdate))
async def update_event_schema(
    id: str, project: Project, session: SessionDep, renderer: RendererDep, body: BodyDep
) -> Response:
    link_id = object_id(id)
    data = await parse_for_update(
        EventSchemaUpdate, body, lambda: service.retrieve(session, renderer, project.id, link_id)
    )
    result = await service.update(session, renderer, project.id, link_id, data)
    await session.commit()
    return JSONResponse(result)


@router.put("/{id}/", response_model=EventSchemaRead, openapi_extra=request_body(EventSchemaCreate))
async def replace_event_schema(
    id: str, project: Project, session: SessionDep, renderer: RendererDep, body: BodyDep
) -> Response:
    link_id = object_id(id)
    data = await parse_for_update(
        EventSchemaCreate, body, lambda: service.retrieve(session, renderer, project.id, link_id)
    )
    result = await service.update(session, renderer, project.id, link_id, data)
    await session.commit()
    return JSONResponse(result)


@router.delete("/{id}/", status_code=204)
async def delete_event_schema(id: str, project: Project, session: SessionDep) -> Response:
    await service.delete(session, project.id, object_id(id))
    await session.commit()
    return no_content()
