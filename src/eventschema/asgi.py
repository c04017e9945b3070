"""The ASGI app for uvicorn workers (`eventschema serve` points them here); settings come from the environment."""

from starlette.types import ASGIApp

from eventschema.app import create_app
from eventschema.logs import AccessLog
from eventschema.settings import get_settings


def _app() -> ASGIApp:
    settings = get_settings()
    app = create_app(settings)
    return AccessLog(app) if settings.access_log else app


app = _app()
