"""/projects/{project_id}/groups/ and /projects/{project_id}/groups/{group_id}/."""

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.console.deps import PageNotFound, ProjectPageDep
from eventschema.console.groups import service
from eventschema.console.templating import render
from eventschema.dependencies import SessionDep

router = APIRouter(prefix="/projects/{project_id}/groups", include_in_schema=False)


@router.get("/")
async def group_list(request: Request, page: ProjectPageDep, session: SessionDep) -> Response:
    query = service.ListQuery.parse(request.query_params.get("q"), request.query_params.get("page"))
    groups = await service.list_groups(session, page.project.id, query)
    return render(request, "groups/list.html", page, groups=groups)


@router.get("/{group_id}/")
async def group_page(request: Request, group_id: str, page: ProjectPageDep, session: SessionDep) -> Response:
    try:
        parsed = UUID(group_id)
    except ValueError:
        raise PageNotFound() from None
    detail = await service.group_detail(session, page.project.id, parsed)
    if detail is None:
        raise PageNotFound()
    return render(request, "groups/detail.html", page, detail=detail, types=service.TYPES)
