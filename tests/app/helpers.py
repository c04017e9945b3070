"""Helpers shared by the app, auth, projects, users and event definition tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import TableClause, column, insert, table

from eventschema.db import Database
from eventschema.ids import random_base62, uuid7
from eventschema.models import Organization, OrganizationMembership, Project, User, utcnow
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


@dataclass
class OldAccount:
    project_id: int


def _old_table(model: Any, *names: str) -> TableClause:
    """Only these columns of the model's table (typed as the model types them), and none of its defaults."""
    columns = model.__table__.c
    return table(model.__tablename__, *(column(name, columns[name].type) for name in names))


async def old_account(database: Database, email: str = "owner@example.com", project: str = "Project") -> OldAccount:
    """An organization, project, user and membership in the columns the first migration made, for tests that work
    on older revisions (the models describe the newest one)."""
    organizations = _old_table(Organization, "id", "name", "created_at")
    projects = _old_table(Project, "id", "organization_id", "name", "api_token", "created_at")
    users = _old_table(User, "id", "uuid", "first_name", "last_name", "email", "is_active", "date_joined")
    memberships = _old_table(OrganizationMembership, "id", "organization_id", "user_id", "level", "joined_at")
    now = utcnow()
    organization_id = uuid7()
    async with database.session(write=True) as session:
        await session.execute(insert(organizations).values(id=organization_id, name="Organization", created_at=now))
        token = "phc_" + random_base62(43)
        project_values = {"organization_id": organization_id, "name": project, "api_token": token, "created_at": now}
        project_id = (
            await session.execute(insert(projects).values(**project_values).returning(projects.c.id))
        ).scalar_one()
        user_values = {"uuid": uuid7(), "first_name": "", "last_name": "", "email": email, "is_active": True}
        user_id = (
            await session.execute(insert(users).values(**user_values, date_joined=now).returning(users.c.id))
        ).scalar_one()
        membership = {"id": uuid7(), "organization_id": organization_id, "user_id": user_id, "level": 15}
        await session.execute(insert(memberships).values(**membership, joined_at=now))
        await session.commit()
    return OldAccount(project_id=project_id)


def app_settings(**overrides: Any) -> Settings:
    """Settings for an app a test builds itself: as the `settings` fixture's, rate limits off unless asked."""
    values: dict[str, Any] = {"rate_limit_enabled": False, **overrides}
    return Settings(**values)
