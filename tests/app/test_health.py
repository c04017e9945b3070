"""/_health/, and what requests get while the database is down."""

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/x"


async def test_health(client) -> None:
    for url in ("/_health", "/_health/"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.json() == {"status": "ok"}, url


async def test_health_and_api_with_the_database_down() -> None:
    database = Database(UNREACHABLE, pool_size=1)
    app = create_app(app_settings(), database=database)
    try:
        async with app_client(app) as http:
            health = await http.get("/_health/")
            listed = await http.get("/api/projects/1/event_definitions/", headers={"Authorization": "Bearer phx_any"})
            created = await http.post(
                "/api/projects/1/event_definitions/", json={"name": "x", "personal_api_key": "phx_a"}
            )
    finally:
        await database.dispose()

    assert health.status_code == 503
    assert health.json() == {"status": "unavailable"}
    for response in (listed, created):
        assert response.status_code == 503
        assert response.json() == {
            "type": "server_error",
            "code": "service_unavailable",
            "detail": "The database is unavailable; try again shortly.",
            "attr": None,
        }
        assert response.headers["retry-after"] == "5"
        assert "Traceback" not in response.text
        assert "127.0.0.1" not in response.text


async def test_health_with_an_unopenable_sqlite_file(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    app = create_app(app_settings(), database=database)
    try:
        async with app_client(app) as http:
            health = await http.get("/_health")
            listed = await http.get("/api/projects/", headers={"Authorization": "Bearer phx_any"})
    finally:
        await database.dispose()

    assert health.status_code == 503
    assert listed.status_code == 503
    assert listed.json()["type"] == "server_error"
    assert listed.headers["retry-after"] == "5"
