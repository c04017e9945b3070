"""The web console: server-rendered pages (Jinja2) at `/`, served by the same app as the API.

Pages read through the services and repositories; writes go from `static/console.js` to the JSON API with the
session cookie and its CSRF token, so the API's rules, rights and messages apply unchanged. `install` adds the
console to an app: its routers (`PAGE_ROUTERS`: one line per page package), its static files and the handlers
that turn "sign in first" into a redirect and "no such page" into a 404 page.
"""

from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import RedirectResponse, Response

from eventschema.console import static
from eventschema.console.code.router import router as code_router
from eventschema.console.deps import PageNotFound, SignInRequired
from eventschema.console.drift.router import router as drift_router
from eventschema.console.events.router import router as events_router
from eventschema.console.groups.router import router as groups_router
from eventschema.console.history.router import router as history_router
from eventschema.console.live.router import router as live_router
from eventschema.console.members.router import router as members_router
from eventschema.console.quarantine.router import router as quarantine_router
from eventschema.console.router import router as console_router
from eventschema.console.settings.router import router as settings_router
from eventschema.console.templating import render
from eventschema.console.throttle import SignInThrottle
from eventschema.console.violations.router import router as violations_router

PAGE_ROUTERS: tuple[APIRouter, ...] = (
    console_router,
    events_router,
    groups_router,
    code_router,
    violations_router,
    quarantine_router,
    live_router,
    settings_router,
    members_router,
    history_router,
    drift_router,
)


def install(app: FastAPI) -> None:
    app.state.console_sign_in_throttle = SignInThrottle()
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.router.routes.extend(static.routes())

    @app.exception_handler(SignInRequired)
    async def sign_in_first(_request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login/?next={quote(exc.next_path, safe='/')}", status_code=303)

    @app.exception_handler(PageNotFound)
    async def page_not_found(request: Request, _exc: PageNotFound) -> Response:
        return render(request, "not_found.html", status_code=404)
