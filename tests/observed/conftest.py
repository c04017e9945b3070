"""The observed-traffic tests build their app themselves, to flush its observer when they need the counts."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from eventschema.app import create_app
from eventschema.db import Database
from eventschema.settings import Settings
from tests.app.helpers import app_client


@pytest.fixture
def app(db: Database, settings: Settings) -> FastAPI:
    return create_app(settings, database=db)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app) as http:
        yield http
