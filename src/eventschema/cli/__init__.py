"""The `eventschema` command: serve, migrate, bootstrap, projects, keys."""

from eventschema.cli.main import app, main

__all__ = ["app", "main"]
