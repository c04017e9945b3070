"""CORS: posthog-js on any web origin can call the capture, flags and config routes (preflights answered, every
answer readable); the /api/ routes answer other origins only when a setting lists them; an unknown capture-like
path refuses events in a way the page can see, and stores nothing."""

import httpx
import pytest

from eventschema.app import create_app
from eventschema.capture import service
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings
from tests.enforcement.helpers import capture, event, logged, project_token, quarantined
from tests.factories import Account

APP = "https://app.example.com"
PUBLIC = ["/e/", "/i/v0/e/", "/batch/", "/capture/", "/track/", "/flags/?v=2", "/decide/", "/i/v1/analytics/events"]


def _preflight(path: str, origin: str = APP) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }


@pytest.mark.parametrize("path", PUBLIC)
async def test_preflights_of_the_public_routes_are_answered(client, path: str) -> None:
    response = await client.options(path, headers=_preflight(path))

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "content-type"
    assert "Origin" in response.headers["vary"]


async def test_every_capture_answer_carries_the_origin(client, account: Account) -> None:
    token = await project_token(client, account)
    headers = {"Origin": APP}

    accepted = await client.post("/batch/", json={"api_key": token, "batch": [event("viewed")]}, headers=headers)
    refused = await client.post("/batch/", json={"api_key": "phc_wrong", "batch": [event("viewed")]}, headers=headers)
    config = await client.get(f"/array/{token}/config", headers=headers)
    without_origin = await capture(client, token, [event("viewed")])

    assert (accepted.status_code, accepted.headers["access-control-allow-origin"]) == (200, APP)
    assert (refused.status_code, refused.headers["access-control-allow-origin"]) == (401, APP)
    assert (config.status_code, config.headers["access-control-allow-origin"]) == (200, APP)
    assert without_origin.headers["access-control-allow-origin"] == "*"
    assert len(await logged(client, account)) == 2


async def test_the_api_stays_closed_to_other_origins(client, account: Account) -> None:
    headers = {**account.headers, "Origin": APP}

    read = await client.get(account.url("event_definitions/"), headers=headers)
    preflight = await client.options(account.url("event_definitions/"), headers=_preflight("/api/"))

    assert read.status_code == 200
    assert "access-control-allow-origin" not in read.headers
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


async def test_the_api_answers_the_origins_a_setting_lists(db: Database, account: Account) -> None:
    console = "https://console.example.com"
    app = create_app(app_settings(cors_allowed_origins=[console]), database=db)
    async with app_client(app) as client:
        allowed = await client.get(account.url("event_definitions/"), headers={**account.headers, "Origin": console})
        preflight = await client.options(account.url("event_definitions/"), headers=_preflight("/api/", console))
        other = await client.get(account.url("event_definitions/"), headers={**account.headers, "Origin": APP})

    assert allowed.headers["access-control-allow-origin"] == console
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == console
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    "path", ["/i/v1/analytics/ai", "/i/v1/events", "/i/v0/batch/", "/e/extra/", "/capture/x", "/s/", "/engage/"]
)
async def test_an_unknown_capture_path_never_swallows_events(client, account: Account, path: str) -> None:
    token = await project_token(client, account)
    body = {"api_key": token, "batch": [event("viewed")]}

    response = await client.post(path, json=body, headers={"Origin": APP, "Authorization": f"Bearer {token}"})

    assert response.status_code == 404, response.text
    assert response.headers["access-control-allow-origin"] == APP
    assert await logged(client, account) == []
    assert await quarantined(client, account) == []


async def test_a_cross_origin_capture_without_preflight_is_not_a_preflight(client: httpx.AsyncClient) -> None:
    # OPTIONS without Access-Control-Request-Method is no preflight: the route answers it (capture: 405).
    response = await client.options("/e/", headers={"Origin": APP})

    assert response.status_code == 405
    assert response.headers["access-control-allow-origin"] == APP


async def test_a_server_error_carries_the_origin_too(client, account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    token = await project_token(client, account)

    async def database_down(*_args: object) -> None:
        raise ConnectionRefusedError("the database is down")

    monkeypatch.setattr(service, "ingest", database_down)
    response = await client.post(
        "/batch/", json={"api_key": token, "batch": [event("viewed")]}, headers={"Origin": APP}
    )

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.headers["access-control-allow-origin"] == APP
