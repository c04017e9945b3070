"""/api/users/@me/ — who this key belongs to."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from eventschema.auth.principal import Principal
from eventschema.dependencies import SessionDep, scoped
from eventschema.rendering import JSONResponse
from eventschema.users import service
from eventschema.users.schemas import UserRead

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("/@me/", response_model=UserRead)
async def me(principal: Annotated[Principal, Depends(scoped("user"))], session: SessionDep) -> Response:
    return JSONResponse(await service.me(session, principal))
