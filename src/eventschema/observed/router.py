"""/api/projects/:project_id/event_definitions/:id/observed_properties/ and .../propose/, and .../drift/."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema import errors
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.fields import QueryText
from eventschema.observed import service
from eventschema.observed.schemas import DriftPage, ObservedPropertyPage, ProposalRead
from eventschema.openapi import list_parameters, query
from eventschema.pagination import page_params
from eventschema.rendering import JSONResponse
from eventschema.routing import object_id, paginated

router = APIRouter(prefix="/api/projects/{project_id}", tags=["observed traffic"])
Reader = Annotated[ProjectContext, Depends(project_access("event_definition", reads=True))]
SDK = query("sdk", "true: the `$` properties set by PostHog's SDKs instead of the event's own.", {"type": "boolean"})


def _flag(raw: str | None, name: str) -> bool:
    if raw in (None, "", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise errors.ValidationError("Must be a valid boolean.", attr=name)


@router.get(
    "/event_definitions/{id}/observed_properties/",
    response_model=ObservedPropertyPage,
    openapi_extra=list_parameters(SDK),
)
async def observed_properties(
    request: Request, id: str, project: Reader, session: SessionDep, settings: SettingsDep, sdk: QueryText = None
) -> Response:
    """The properties seen on this event, most frequent first, with their plan status."""
    page = page_params(request, settings)
    definition_id, flag = object_id(id), _flag(sdk, "sdk")
    total, results = await service.observed_properties(
        session, project.id, definition_id, flag, page.limit, page.offset
    )
    return paginated(request, settings, page, total, results)


@router.post("/event_definitions/{id}/propose/", response_model=ProposalRead)
async def propose_property_group(id: str, project: Reader, session: SessionDep) -> Response:
    """A property group draft inferred from the observed traffic, to POST to schema_property_groups/."""
    return JSONResponse(await service.propose(session, project.id, object_id(id)))


@router.get("/drift/", response_model=DriftPage, openapi_extra=list_parameters())
async def drift_report(request: Request, project: Reader, session: SessionDep, settings: SettingsDep) -> Response:
    """What the traffic does that the plan does not say, worst first."""
    page = page_params(request, settings)
    found = await service.drift(session, project.id)
    return paginated(request, settings, page, len(found), service.page_of(found, page.limit, page.offset))
