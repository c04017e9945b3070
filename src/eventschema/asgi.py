"""The ASGI app for uvicorn workers (`eventschema serve` points them here); settings come from the environment."""

from eventschema.app import create_app

app = create_app()
