"""/api/projects/:project_id/schema_property_groups/ — list, create, retrieve, update, delete; and the properties of
one group one by one (…/:id/properties/ — create; …/:id/properties/:property_id/ — retrieve, update, delete)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.openapi import creation, list_parameters, request_body
from eventschema.pagination import page_params
from eventschema.property_groups import properties, service
from eventschema.property_groups.schemas import (
    PropertyCreate,
    PropertyGroupCreate,
    PropertyGroupPage,
    PropertyGroupRead,
    PropertyGroupUpdate,
    PropertyRead,
    PropertyUpdate,
)
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
)

router = APIRouter(prefix="/api/projects/{project_id}/schema_property_groups", tags=["property groups"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]


@router.get("/", response_model=PropertyGroupPage, openapi_extra=list_parameters())
async def list_property_groups(
    request: Request, project: Project, session: SessionDep, settings: SettingsDep, renderer: RendererDep
) -> Response:
    page = page_params(request, settings)
    total, results = await service.list_page(session, renderer, project.id, page.limit, page.offset)
    return paginated(request, settings, page, total, results)


@router.post(
    "/",
    status_code=201,
    response_model=PropertyGroupRead,
    openapi_extra=creation("property_group", request_body(PropertyGroupCreate)),
)
async def create_property_group(project: Project, session: SessionDep, body: BodyDep) -> Response:
    result = await service.create(session, project.id, project.principal, parse(PropertyGroupCreate, body))
    await session.commit()
    return created(result)


@router.get("/{id}/", response_model=PropertyGroupRead)
async def retrieve_property_group(id: str, project: Project, session: SessionDep, renderer: RendererDep) -> Response:
    return JSONResponse(await service.retrieve(session, renderer, project.id, object_id(id)))


@router.patch("/{id}/", response_model=PropertyGroupRead, openapi_extra=request_body(PropertyGroupUpdate))
async def update_property_group(
    id: str, project: Project, session: SessionDep, renderer: RendererDep, body: BodyDep
) -> Response:
    group_id = object_id(id)
    data = await parse_for_update(
        PropertyGroupUpdate, body, lambda: service.retrieve(session, renderer, project.id, group_id)
    )
    result = await service.update(session, renderer, project.id, group_id, data)
    await session.commit()
    return JSONResponse(result)


@router.put("/{id}/", response_model=PropertyGroupRead, openapi_extra=request_body(PropertyGroupCreate))
async def replace_property_group(
    id: str, project: Project, session: SessionDep, renderer: RendererDep, body: BodyDep
) -> Response:
    group_id = object_id(id)
    data = await parse_for_update(
        PropertyGroupCreate, body, lambda: service.retrieve(session, renderer, project.id, group_id)
    )
    result = await service.update(session, renderer, project.id, group_id, data)
    await session.commit()
    return JSONResponse(result)


@router.delete("/{id}/", status_code=204)
async def delete_property_group(id: str, project: Project, session: SessionDep) -> Response:
    await service.delete(session, project.id, object_id(id))
    await session.commit()
    return no_content()


@router.post(
    "/{id}/properties/",
    status_code=201,
    response_model=PropertyRead,
    openapi_extra=creation(
        "property", request_body(PropertyCreate), verbs=("retrieve", "update", "delete"), id_parameter="property_id"
    ),
)
async def create_property(id: str, project: Project, session: SessionDep, body: BodyDep) -> Response:
    group_id = object_id(id)
    data = await parse_for_update(PropertyCreate, body, lambda: properties.group_exists(session, project.id, group_id))
    result = await properties.create(session, project.id, group_id, data)
    await session.commit()
    return created(result)


@router.get("/{id}/properties/{property_id}/", response_model=PropertyRead)
async def retrieve_property(id: str, property_id: str, project: Project, session: SessionDep) -> Response:
    return JSONResponse(await properties.retrieve(session, project.id, object_id(id), object_id(property_id)))


@router.patch(
    "/{id}/properties/{property_id}/", response_model=PropertyRead, openapi_extra=request_body(PropertyUpdate)
)
async def update_property(id: str, property_id: str, project: Project, session: SessionDep, body: BodyDep) -> Response:
    group_id, prop_id = object_id(id), object_id(property_id)
    data = await parse_for_update(
        PropertyUpdate, body, lambda: properties.retrieve(session, project.id, group_id, prop_id)
    )
    result = await properties.update(session, project.id, group_id, prop_id, data)
    await session.commit()
    return JSONResponse(result)


@router.delete("/{id}/properties/{property_id}/", status_code=204)
async def delete_property(id: str, property_id: str, project: Project, session: SessionDep) -> Response:
    await properties.delete(session, project.id, object_id(id), object_id(property_id))
    await session.commit()
    return no_content()
