"""What a console page knows about its request: the signed-in user (`ViewerDep`) and, for a project's pages, the
project they may see (`ProjectPageDep`).

A request without a valid session is sent to the sign-in page (`SignInRequired`); a project that does not exist
or that the user is not a member of is a 404 page (`PageNotFound`), as the API answers 404 for it too.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from eventschema.auth import service as auth_service
from eventschema.auth.principal import Principal, UserBasic
from eventschema.auth.repository import ProjectRef
from eventschema.auth.rights import Right, allows
from eventschema.db import AnyRow
from eventschema.dependencies import TOUCH_SESSION_STATE, SessionDep
from eventschema.models import utcnow
from eventschema.projects import service as projects_service

# The project switcher lists this many of the user's projects.
MAX_PROJECTS = 200


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageNotFound(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Viewer:
    principal: Principal
    csrf_token: str

    @property
    def user(self) -> UserBasic:
        return self.principal.user

    @property
    def session_id(self) -> str:
        return auth_service.session_id_of(self.principal)


@dataclass(frozen=True, slots=True)
class ProjectPage:
    """The context of every page under /projects/{project_id}/ (`page` in its template)."""

    viewer: Viewer
    project: projects_service.ProjectRow
    # The user's level in the project's organization (auth.rights: 1 member, 8 admin, 15 owner).
    level: int
    # The user's projects, for the switcher: rows of (id, name, ...).
    projects: Sequence[AnyRow]

    @property
    def user(self) -> UserBasic:
        return self.viewer.user

    @property
    def csrf_token(self) -> str:
        return self.viewer.csrf_token

    def may(self, right: str) -> bool:
        """Whether the user's level holds this right (`auth.rights.Right`), to show only the actions they may take:
        `{% if page.may("manage_project") %}`. The API checks it again whatever the page shows."""
        return allows(self.level, Right(right))

    def url(self, path: str = "") -> str:
        """A URL of this project's pages: `page.url("events/")`."""
        return f"/projects/{self.project.id}/{path}"

    def api_url(self, path: str = "") -> str:
        """A URL of this project's API: `page.api_url("event_definitions/")`."""
        return f"/api/projects/{self.project.id}/{path}"


async def _session(request: Request, session: SessionDep, project: ProjectRef | None) -> tuple[Viewer, AnyRow] | None:
    token = request.cookies.get(auth_service.SESSION_COOKIE)
    found = await auth_service.authenticate_session(session, token, project) if token else None
    if found is None:
        return None
    principal, row = found
    if auth_service.needs_touch(principal, utcnow()):
        setattr(request.state, TOUCH_SESSION_STATE, auth_service.session_id_of(principal))
    return Viewer(principal=principal, csrf_token=row.csrf_token), row


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def optional_viewer(request: Request, session: SessionDep) -> Viewer | None:
    found = await _session(request, session, None)
    return None if found is None else found[0]


async def viewer(request: Request, session: SessionDep) -> Viewer:
    found = await _session(request, session, None)
    if found is None:
        raise SignInRequired(_here(request))
    return found[0]


async def project_page(request: Request, project_id: str, session: SessionDep) -> ProjectPage:
    ref = projects_service.project_ref(project_id)
    if not isinstance(ref, int):
        raise PageNotFound()
    found = await _session(request, session, ref)
    if found is None:
        raise SignInRequired(_here(request))
    signed_in, row = found
    if row.project_id is None or row.project_level is None:
        raise PageNotFound()
    _count, projects = await projects_service.list_visible(session, signed_in.principal, MAX_PROJECTS, 0)
    return ProjectPage(
        viewer=signed_in,
        project=projects_service.check_access(signed_in.principal, row),
        level=row.project_level,
        projects=projects,
    )


OptionalViewerDep = Annotated[Viewer | None, Depends(optional_viewer)]
ViewerDep = Annotated[Viewer, Depends(viewer)]
ProjectPageDep = Annotated[ProjectPage, Depends(project_page)]
