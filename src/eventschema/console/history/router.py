"""/projects/{project_id}/history/ (`?version=N` shows that version's changes, `?page=N` pages the versions)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from eventschema.console.deps import ProjectPageDep
from eventschema.console.history import service
from eventschema.console.templating import render
from eventschema.dependencies import get_database

router = APIRouter(prefix="/projects/{project_id}/history", include_in_schema=False)


async def _writing_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Reading versions numbers the change sets committed since the last reader (see history.versions)."""
    session = get_database(request).session(write=True)
    try:
        yield session
    finally:
        await session.close()


WritingSession = Annotated[AsyncSession, Depends(_writing_session, scope="function")]


@router.get("/")
async def history_page(request: Request, page: ProjectPageDep, session: WritingSession) -> Response:
    params = request.query_params
    raw_version = params.get("version")
    selected = service.page_number(raw_version) if raw_version else None
    found = await service.history(session, page.project.id, service.page_number(params.get("page")), selected)
    return render(request, "history/page.html", page, history=found)
