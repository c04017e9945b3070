"""The console's own routes: `/` (to the current project's Events page), signing in and out.

Console routes live outside /api/, so they stay out of the OpenAPI document.
"""

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from eventschema.console import csrf, sessions
from eventschema.console.deps import OptionalViewerDep, ViewerDep
from eventschema.console.templating import render
from eventschema.console.throttle import SignInThrottle
from eventschema.dependencies import SessionDep, SettingsDep, client_address, get_database
from eventschema.projects import service as projects_service

router = APIRouter(include_in_schema=False)

WRONG_CREDENTIALS = "Wrong email or password."
FORM_EXPIRED = "The sign-in form expired. Please sign in again."
MAX_FIELD = 1024


def safe_next(value: object) -> str:
    """Where to go after signing in: a path of this site only, never `//elsewhere` or a full URL (nor what a browser
    would read as one: it drops tabs and line breaks and reads a backslash as a slash)."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and len(value) < 2000
        and not any(char == "\\" or ord(char) < 0x20 or ord(char) == 0x7F for char in value)
        and not value.startswith("//")
    ):
        return value
    return "/"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _login_page(
    request: Request, *, status_code: int = 200, error: str | None = None, email: str = "", next_path: str = "/"
) -> Response:
    token = csrf.login_token(request)
    response = render(
        request,
        "login.html",
        status_code=status_code,
        error=error,
        email=email,
        next_path=next_path,
        csrf_token=token,
    )
    csrf.set_login_cookie(response, token, sessions.is_https(request))
    return response


@router.get("/")
async def home(request: Request, viewer: OptionalViewerDep, session: SessionDep) -> Response:
    """The user's current project's Events page (or their first project's, when they have no current one)."""
    if viewer is None:
        return _redirect("/login/")
    project_id = viewer.principal.current_project_id
    if project_id is None:
        _count, projects = await projects_service.list_visible(session, viewer.principal, 1, 0)
        if not projects:
            return render(request, "no_project.html", viewer)
        project_id = projects[0].id
    return _redirect(f"/projects/{project_id}/events/")


@router.get("/login/")
async def login_form(request: Request, viewer: OptionalViewerDep) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    if viewer is not None:
        return _redirect(next_path)
    return _login_page(request, next_path=next_path)


@router.post("/login/")
async def login(request: Request, settings: SettingsDep) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    email = str(form.get("email") or "").strip()[:MAX_FIELD]
    password = str(form.get("password") or "")[:MAX_FIELD]
    next_path = safe_next(form.get("next"))
    if not csrf.login_matches(request, form.get(csrf.FIELD)):
        return _login_page(request, status_code=403, error=FORM_EXPIRED, email=email, next_path=next_path)
    throttle: SignInThrottle = request.app.state.console_sign_in_throttle
    address = client_address(request)
    wait = throttle.wait(email, address)
    if wait:
        message = f"Too many failed sign-ins. Try again in {wait} seconds."
        response = _login_page(request, status_code=429, error=message, email=email, next_path=next_path)
        response.headers["Retry-After"] = str(wait)
        return response
    signed_in = await sessions.sign_in(get_database(request), email, password, settings.console_session_days)
    if signed_in is None:
        throttle.failed(email, address)
        return _login_page(request, status_code=400, error=WRONG_CREDENTIALS, email=email, next_path=next_path)
    response = _redirect(next_path)
    sessions.set_cookie(response, request, signed_in)
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/")
    return response


@router.post("/logout/")
async def logout(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    if not csrf.matches(form.get(csrf.FIELD), viewer.csrf_token):
        return render(request, "forbidden.html", viewer, status_code=403)
    await sessions.sign_out(session, viewer.session_id)
    await session.commit()
    response = _redirect("/login/")
    sessions.clear_cookie(response, request)
    return response
