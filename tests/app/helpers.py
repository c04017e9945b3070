"""Helpers shared by the app, auth, projects, users and event definition tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from eventschema.db import Database
from eventschema.ids import random_base62
from eventschema.models import Organization, Project
from eventschema.settings import Settings


def error(type_: str, code: str, detail: str, attr: str | None = None) -> dict[str, Any]:
    """An error body exactly as the API sends it."""
    return {"type": type_, "code": code, "detail": detail, "attr": attr}


def not_found(detail: str = "Not found.") -> dict[str, Any]:
    return error("invalid_request", "not_found", detail)


def missing_scope(scope: str) -> dict[str, Any]:
    return error("authentication_error", "permission_denied", f"API key missing required scope '{scope}'")


NOT_AUTHENTICATED = error("authentication_error", "not_authenticated", "Authentication credentials were not provided.")


@asynccontextmanager
async def app_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app a test built itself (the `client` fixture builds the default one). The app's capture
    connections are closed afterwards, as its lifespan would."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await app.state.gateway.close()


async def foreign_project(database: Database, name: str = "Foreign") -> int:
    """A project in an organization nobody made through the services, so no existing user belongs to it."""
    async with database.session(write=True) as session:
        organization = Organization(name="Elsewhere")
        session.add(organization)
        await session.flush()
        project = Project(organization_id=organization.id, name=name, api_token="phc_" + random_base62(43))
        session.add(project)
        await session.flush()
        await session.commit()
        return project.id


def app_settings(**overrides: Any) -> Settings:
    """Settings for an app a test builds itself: as the `settings` fixture's, rate limits off unless asked."""
    values: dict[str, Any] = {"rate_limit_enabled": False, **overrides}
    return Settings(**values)
