"""Errors the app itself produces: unknown URLs, wrong verbs, unexpected failures."""

import logging

from fastapi import FastAPI

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings, error, not_found
from tests.factories import Account


async def test_unknown_urls_are_404(client, account: Account) -> None:
    for url in (
        "/nope",
        "/nope/",
        "/api/",
        "/api/nope/",
        "/api/projects/1/nope/",
        account.url("event_definitions/a/b/"),
    ):
        response = await client.get(url, headers=account.headers)
        assert response.status_code == 404, url
        assert response.json() == not_found(), url
        assert response.headers["content-type"] == "application/json", url


async def test_unknown_urls_are_404_without_credentials(client) -> None:
    response = await client.post("/api/nope/", json={})

    assert response.status_code == 404
    assert response.json() == {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None}


async def test_wrong_verb_is_405(client, account: Account) -> None:
    for method, url in (
        ("DELETE", "/api/projects/"),
        ("POST", "/api/users/@me/"),
        ("PUT", account.url("event_schemas/")),
        ("POST", "/_health/"),
    ):
        response = await client.request(method, url, headers=account.headers)
        assert response.status_code == 405, (method, url)
        assert response.json() == {
            "type": "invalid_request",
            "code": "method_not_allowed",
            "detail": f'Method "{method}" not allowed.',
            "attr": None,
        }


def _app_with_failing_route(database: Database) -> FastAPI:
    app = create_app(app_settings(), database=database)

    async def boom() -> None:
        raise RuntimeError("SELECT password FROM users -- internal detail")

    app.add_api_route("/boom/", boom)
    return app


async def test_an_unexpected_failure_is_a_generic_500(db: Database, caplog) -> None:
    app = _app_with_failing_route(db)

    with caplog.at_level(logging.ERROR, logger="eventschema"):
        async with app_client(app) as http:
            response = await http.get("/boom/")
            without_slash = await http.get("/boom")

    assert response.status_code == 500
    assert response.json() == error("server_error", "error", "A server error occurred.")
    assert "password" not in response.text
    assert "Traceback" not in response.text
    assert without_slash.status_code == 500
    assert "SELECT password" in caplog.text


async def test_every_error_body_has_exactly_four_keys(client, account: Account) -> None:
    responses = [
        await client.get("/api/projects/"),
        await client.get("/api/nope/"),
        await client.delete("/api/projects/", headers=account.headers),
        await client.post(account.url("event_definitions/"), json={}, headers=account.headers),
        await client.get("/api/projects/abc/", headers=account.headers),
    ]

    assert [response.status_code for response in responses] == [401, 404, 405, 400, 404]
    for response in responses:
        assert set(response.json()) == {"type", "code", "detail", "attr"}
