"""/api/personal_api_keys/ — the requesting user's own personal API keys (PostHog's routes and shapes)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.auth.principal import Principal
from eventschema.dependencies import SessionDep, SettingsDep, scoped
from eventschema.openapi import list_parameters, request_body
from eventschema.pagination import page_params
from eventschema.personal_api_keys import service
from eventschema.personal_api_keys.schemas import (
    PersonalAPIKeyCreate,
    PersonalAPIKeyPage,
    PersonalAPIKeyRead,
    PersonalAPIKeyUpdate,
)
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, created, no_content, paginated, parse

router = APIRouter(prefix="/api/personal_api_keys", tags=["personal API keys"])
Owner = Annotated[Principal, Depends(scoped("personal_api_key"))]


@router.get("/", response_model=PersonalAPIKeyPage, openapi_extra=list_parameters())
async def list_personal_api_keys(
    request: Request, principal: Owner, session: SessionDep, settings: SettingsDep
) -> Response:
    """The user's own keys, newest first, masked (`mask_value`): a key's value is shown only when it is made."""
    page = page_params(request, settings)
    count, results = await service.list_keys(session, principal, page.limit, page.offset)
    return paginated(request, settings, page, count, results)


@router.post("/", status_code=201, response_model=PersonalAPIKeyRead, openapi_extra=request_body(PersonalAPIKeyCreate))
async def create_personal_api_key(principal: Owner, session: SessionDep, body: BodyDep) -> Response:
    """A new key of the user; `value` is in this answer only (the server keeps a hash). `scoped_teams` limits it
    to projects the user is a member of; a key cannot make a key with more scopes or projects than its own."""
    result = await service.create(session, principal, parse(PersonalAPIKeyCreate, body))
    await session.commit()
    return created(result)


@router.get("/{key_id}/", response_model=PersonalAPIKeyRead)
async def retrieve_personal_api_key(key_id: str, principal: Owner, session: SessionDep) -> Response:
    return JSONResponse(await service.retrieve(session, principal, key_id))


@router.patch("/{key_id}/", response_model=PersonalAPIKeyRead, openapi_extra=request_body(PersonalAPIKeyUpdate))
async def update_personal_api_key(key_id: str, principal: Owner, session: SessionDep, body: BodyDep) -> Response:
    """Change a key's label, scopes or projects; the new scopes apply from its next request on every server."""
    result = await service.update(session, principal, key_id, parse(PersonalAPIKeyUpdate, body))
    await session.commit()
    return JSONResponse(result)


@router.delete("/{key_id}/", status_code=204)
async def revoke_personal_api_key(key_id: str, principal: Owner, session: SessionDep) -> Response:
    """Revoke (delete) a key: its next request is refused, on every server."""
    await service.revoke(session, principal, key_id)
    await session.commit()
    return no_content()
