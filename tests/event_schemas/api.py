"""Setup helpers for the event schema and property group API tests (shared by tests/property_groups)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.ids import random_base62, uuid7
from eventschema.models import EventDefinition, EventSchema, Organization, Project, Property, PropertyGroup, utcnow
from eventschema.settings import Settings
from tests.app.helpers import app_client
from tests.factories import (  # noqa: F401 (the shapes are re-exported for the tests of this folder)
    EVENT_SCHEMA_KEYS,
    GROUP_KEYS,
    PROPERTY_KEYS,
    USER_BASIC_KEYS,
    Account,
    StatementCounter,
)

NO_SUCH_ID = "0190f5b1-0000-7000-8000-000000000000"


def prop(name: str, property_type: str = "String", **fields: Any) -> dict[str, Any]:
    return {"name": name, "property_type": property_type, **fields}


def error(code: str, detail: str, attr: str | None = None) -> dict[str, Any]:
    return {"type": "validation_error", "code": code, "detail": detail, "attr": attr}


def does_not_exist(value: str, attr: str) -> dict[str, Any]:
    return error("does_not_exist", f'Invalid pk "{value}" - object does not exist.', attr)


def denied(detail: str) -> dict[str, Any]:
    return {"type": "authentication_error", "code": "permission_denied", "detail": detail, "attr": None}


NOT_FOUND = {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None}
NOT_AUTHENTICATED = {
    "type": "authentication_error",
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
    "attr": None,
}
BAD_HEADER_KEY = {
    "type": "authentication_error",
    "code": "authentication_failed",
    "detail": "Personal API key found in request Authorization header is invalid.",
    "attr": None,
}


async def create_definition(client: httpx.AsyncClient, account: Account, name: str) -> dict[str, Any]:
    response = await client.post(account.url("event_definitions/"), json={"name": name}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def create_group(
    client: httpx.AsyncClient,
    account: Account,
    name: str,
    properties: list[dict[str, Any]] | None = None,
    description: str = "",
) -> dict[str, Any]:
    body = {"name": name, "description": description, "properties": properties or []}
    response = await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def link(client: httpx.AsyncClient, account: Account, definition_id: str, group_id: str) -> dict[str, Any]:
    body = {"event_definition": definition_id, "property_group_id": group_id}
    response = await client.post(account.url("event_schemas/"), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def linked_pair(client: httpx.AsyncClient, account: Account, suffix: str = "") -> dict[str, Any]:
    """A definition, a group with one property, and the event schema linking them."""
    definition = await create_definition(client, account, f"signed up{suffix}")
    group = await create_group(client, account, f"user{suffix}", [prop("email", is_required=True)])
    return await link(client, account, definition["id"], group["id"])


async def list_results(client: httpx.AsyncClient, account: Account, path: str) -> list[dict[str, Any]]:
    response = await client.get(account.url(path), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def group_events(client: httpx.AsyncClient, account: Account, group_id: str) -> list[str]:
    """The event names a group shows, as rendered in the group list."""
    groups = await list_results(client, account, "schema_property_groups/")
    return next([e["name"] for e in g["events"]] for g in groups if g["id"] == group_id)


async def foreign_project(database: Database) -> int:
    """A project in an organization nobody from make_account belongs to."""
    async with database.session(write=True) as session:
        organization = Organization(name="Elsewhere")
        session.add(organization)
        await session.flush()
        project = Project(organization_id=organization.id, name="Foreign", api_token="phc_" + random_base62(43))
        session.add(project)
        await session.flush()
        await session.commit()
        return project.id


@asynccontextmanager
async def fresh_client(database: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a new app instance: same database, empty in-process caches."""
    async with app_client(create_app(settings, database=database)) as http:
        yield http


async def seed_links(database: Database, account: Account, count: int, groups: int = 1, prefix: str = "") -> list[str]:
    """`count` links (one new definition each) spread over `groups` new groups, written directly, oldest
    first; returns the link ids in creation order. The app's rendered-group cache has not seen them."""
    start = utcnow()
    async with database.session(write=True) as session:
        group_rows = [
            PropertyGroup(
                id=uuid7(),
                project_id=account.project_id,
                name=f"{prefix}group {index:04d}",
                created_by_id=account.user_id,
                created_at=start,
                updated_at=start,
            )
            for index in range(groups)
        ]
        session.add_all(group_rows)
        await session.flush()
        session.add_all(
            Property(id=uuid7(), property_group_id=group.id, name=name, property_type="String")
            for group in group_rows
            for name in ("a", "b")
        )
        definitions = [
            EventDefinition(id=uuid7(), project_id=account.project_id, name=f"{prefix}event {index:04d}")
            for index in range(count)
        ]
        session.add_all(definitions)
        await session.flush()
        links = [
            EventSchema(
                id=uuid7(),
                project_id=account.project_id,
                event_definition_id=definition.id,
                property_group_id=group_rows[index % groups].id,
                created_at=start + timedelta(milliseconds=index),
                updated_at=start,
            )
            for index, definition in enumerate(definitions)
        ]
        session.add_all(links)
        await session.commit()
        return [str(row.id) for row in links]


async def count_list_statements(
    client: httpx.AsyncClient, account: Account, counter: StatementCounter, path: str
) -> tuple[int, dict[str, Any]]:
    """(statements issued, body) of one list request."""
    counter.statements.clear()
    with counter:
        response = await client.get(account.url(path), headers=account.headers)
    assert response.status_code == 200, response.text
    return counter.count, response.json()


async def seed_groups(database: Database, account: Account, count: int) -> list[str]:
    """`count` groups named "group 0000", ... (two properties each, no links), written directly."""
    await seed_links(database, account, 0, groups=count)
    async with database.session(write=False) as session:
        rows = await session.execute(
            select(PropertyGroup.id).where(PropertyGroup.project_id == account.project_id).order_by(PropertyGroup.name)
        )
        return [str(group_id) for group_id in rows.scalars()]


def instant(timestamp: str) -> datetime:
    """An API timestamp as a datetime (string comparison breaks when microseconds are omitted)."""
    assert timestamp.endswith("Z"), timestamp
    return datetime.fromisoformat(timestamp)
