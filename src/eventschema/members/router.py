"""/api/organizations/:organization_id/members/ — who belongs to the organization, and at which level."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import OrganizationContext, SessionDep, SettingsDep, organization_access
from eventschema.members import service
from eventschema.members.schemas import MemberPage, MemberRead, MemberUpdate
from eventschema.openapi import list_parameters, request_body
from eventschema.openapi_paths import error_response
from eventschema.pagination import page_params
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, no_content, object_id, paginated, parse

router = APIRouter(prefix="/api/organizations/{organization_id}/members", tags=["members"])
Organization = Annotated[OrganizationContext, Depends(organization_access("organization_member"))]


def _actor(organization: OrganizationContext) -> service.Actor:
    return service.Actor(user_id=organization.principal.user.id, level=organization.level)


@router.get("/", response_model=MemberPage, openapi_extra=list_parameters())
async def list_members(
    request: Request, organization: Organization, session: SessionDep, settings: SettingsDep
) -> Response:
    page = page_params(request, settings)
    count, results = await service.list_members(session, organization.id, page.limit, page.offset)
    return paginated(request, settings, page, count, results)


@router.patch("/{user_uuid}/", response_model=MemberRead, openapi_extra=request_body(MemberUpdate))
async def update_member(organization: Organization, user_uuid: str, session: SessionDep, body: BodyDep) -> Response:
    """Change a member's level (1 member, 8 admin, 15 owner)."""
    level = parse(MemberUpdate, body).changes().get("level")
    result = await service.change_level(session, organization.id, object_id(user_uuid), level, _actor(organization))
    await session.commit()
    return JSONResponse(result)


# 400: the last owner cannot leave.
@router.delete("/{user_uuid}/", status_code=204, openapi_extra={"responses": {"400": error_response(400)}})
async def remove_member(organization: Organization, user_uuid: str, session: SessionDep) -> Response:
    """Remove a member (or leave, with one's own uuid): their personal API keys are revoked."""
    await service.remove(session, organization.id, object_id(user_uuid), _actor(organization))
    await session.commit()
    return no_content()
