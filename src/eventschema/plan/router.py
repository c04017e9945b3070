"""/api/projects/:project_id/plan/ — the plan as a document (?format=yaml, ?at=), diff/ and apply/ a document,
versions/ and versions/:n/diff/."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from eventschema import errors
from eventschema.dependencies import (
    ProjectContext,
    ResponsesDep,
    SessionDep,
    SettingsDep,
    get_database,
    project_access,
)
from eventschema.history import service as history_service
from eventschema.history import versions
from eventschema.openapi import list_parameters, query, request_body
from eventschema.pagination import page_params
from eventschema.plan import document, service
from eventschema.plan.diff import diff
from eventschema.plan.schemas import PlanBody, PlanChanges, PlanRequest
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, paginated, parse

router = APIRouter(prefix="/api/projects/{project_id}/plan", tags=["tracking plan"])
Project = Annotated[ProjectContext, Depends(project_access("event_definition"))]
Reader = Annotated[ProjectContext, Depends(project_access("event_definition", reads=True))]


async def _writing_session(request: Request) -> AsyncIterator[AsyncSession]:
    """For GET routes: reading versions numbers the change sets committed since the last reader (see
    history.versions). POST routes have a writing session already (SessionDep)."""
    session = get_database(request).session(write=True)
    try:
        yield session
    finally:
        await session.close()


Session = Annotated[AsyncSession, Depends(_writing_session, scope="function")]
# Documented as a version number; an ISO 8601 time with its offset (2026-11-30T10:00:00Z) is accepted too.
AT = query(
    "at", "A version number (or an ISO 8601 time): the plan as it was then.", {"type": "string", "pattern": "^[0-9]*$"}
)
FORMAT = query("format", "`json` (default) or `yaml`.", {"type": "string", "enum": ["json", "yaml"]})


YAML_ANSWER: dict[str, Any] = {"200": {"content": {"application/yaml": {"schema": {}}}}}  # with ?format=yaml


@router.get("/", openapi_extra={"parameters": [AT, FORMAT], "responses": YAML_ANSWER})
async def export_plan(
    project: Project, session: Session, responses: ResponsesDep, at: str | None = None, format: str | None = None
) -> Response:
    body, media_type = await service.export_body(session, responses, project.id, at or None, format)
    await session.commit()
    return Response(body, media_type=media_type)


@router.post("/diff/", response_model=PlanChanges, openapi_extra=request_body(PlanBody))
async def diff_plan(project: Reader, session: SessionDep, body: BodyDep) -> Response:
    request = parse(PlanRequest, body)
    changes, version = await service.diff_file(session, project.id, request.plan, request.prune)
    await session.commit()
    return JSONResponse({"changes": changes, "version": version})


@router.post("/apply/", response_model=PlanChanges, openapi_extra=request_body(PlanBody))
async def apply_plan(project: Project, session: SessionDep, body: BodyDep) -> Response:
    request = parse(PlanRequest, body)
    changes, version = await service.apply(
        session, project.id, project.principal, request.plan, prune=request.prune, dry_run=request.dry_run
    )
    await session.commit()
    return JSONResponse({"changes": changes, "version": version})


@router.get("/versions/", openapi_extra=list_parameters())
async def list_versions(request: Request, project: Project, session: Session, settings: SettingsDep) -> Response:
    page = page_params(request, settings)
    total, results = await history_service.versions_page(session, project.id, page.limit, page.offset)
    await session.commit()
    return paginated(request, settings, page, total, results)


@router.get(
    "/versions/{number}/diff/",
    response_model=PlanChanges,
    openapi_extra={"parameters": [query("against", "The version to compare with (default: the one before).")]},
)
async def diff_versions(number: str, project: Project, session: Session, against: str | None = None) -> Response:
    latest = await versions.seal(session, project.id)
    await session.commit()
    if not versions.is_number(number) or not 1 <= int(number) <= latest:
        raise errors.NotFound()
    if against is not None and (not versions.is_number(against) or int(against) > latest):
        raise errors.ValidationError(f"Must be a version number from 0 to {latest}.", attr="against")
    base = int(against) if against is not None else int(number) - 1
    before = document.build(await versions.states_at(session, project.id, base))
    after = document.build(await versions.states_at(session, project.id, int(number)))
    return JSONResponse({"changes": diff(before, after), "version": int(number)})
