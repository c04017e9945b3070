"""/api/organizations/:organization_id/invites/ (admins invite people) and /api/signup/:token/ (they accept)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.dependencies import OrganizationContext, SessionDep, SettingsDep, organization_access
from eventschema.invites import mail, service
from eventschema.invites.schemas import InviteCreate, InviteCreated, InvitePage, SignupCreate, SignupDone, SignupRead
from eventschema.members.service import Actor
from eventschema.openapi import list_parameters, request_body
from eventschema.openapi_paths import error_response
from eventschema.pagination import page_params, request_origin
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, created, no_content, object_id, paginated, parse

router = APIRouter(prefix="/api/organizations/{organization_id}/invites", tags=["invites"])
signup_router = APIRouter(prefix="/api/signup", tags=["invites"])
# No key: the token in the path is the credential, and a used, expired or unknown one is a 400.
PUBLIC = {"security": [], "responses": {"400": error_response(400)}}
Organization = Annotated[OrganizationContext, Depends(organization_access("organization_member"))]


@router.get("/", response_model=InvitePage, openapi_extra=list_parameters())
async def list_invites(
    request: Request, organization: Organization, session: SessionDep, settings: SettingsDep
) -> Response:
    page = page_params(request, settings)
    count, results = await service.list_pending(session, organization.id, page.limit, page.offset)
    return paginated(request, settings, page, count, results)


@router.post("/", status_code=201, response_model=InviteCreated, openapi_extra=request_body(InviteCreate))
async def create_invite(
    request: Request, organization: Organization, session: SessionDep, settings: SettingsDep, body: BodyDep
) -> Response:
    """Invite someone at a level up to one's own; the answer alone carries the link (sent by email too when a
    mail server is configured)."""
    actor = Actor(user_id=organization.principal.user.id, level=organization.level)
    invite = await service.create(
        session,
        organization.id,
        parse(InviteCreate, body),
        actor,
        base_url=settings.public_url or request_origin(request, settings),
        emailing=mail.enabled(settings),
    )
    await session.commit()
    sent = mail.enabled(settings) and await mail.send(settings, mail.invitation(settings, invite))
    return created({**invite.invite, "invite_link": invite.link, "email_sent": sent})


@router.delete("/{invite_id}/", status_code=204)
async def delete_invite(organization: Organization, invite_id: str, session: SessionDep) -> Response:
    """Cancel a pending invitation: its link stops working."""
    await service.cancel(session, organization.id, object_id(invite_id))
    await session.commit()
    return no_content()


@signup_router.get("/{token}/", response_model=SignupRead, openapi_extra=PUBLIC)
async def retrieve_invite(token: str, session: SessionDep) -> Response:
    """The invitation a link carries (no key needed: the link's token is the credential)."""
    return JSONResponse(await service.describe(session, token))


@signup_router.post(
    "/{token}/", status_code=201, response_model=SignupDone, openapi_extra={**request_body(SignupCreate), **PUBLIC}
)
async def accept_invite(token: str, session: SessionDep, body: BodyDep) -> Response:
    """Set a password and join; the answer carries a new personal API key, shown once."""
    result = await service.accept(session, token, parse(SignupCreate, body))
    await session.commit()
    return created(result)
