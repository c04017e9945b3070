"""/api/schema/ (OpenAPI) and /api/schema/docs/."""

import re

from fastapi.routing import APIRoute, iter_route_contexts

from eventschema.app import create_app
from eventschema.db import Database
from tests.app.helpers import app_client, app_settings

DOCUMENTED_AT_LEAST = {
    "/api/projects/": {"get"},
    "/api/projects/{project_id}/": {"get"},
    "/api/users/@me/": {"get"},
    "/api/projects/{project_id}/event_definitions/": {"get", "post"},
    "/api/projects/{project_id}/event_definitions/by_name/": {"get"},
    "/api/projects/{project_id}/event_definitions/{id}/": {"get", "patch", "put", "delete"},
    "/api/projects/{project_id}/schema_property_groups/": {"get", "post"},
    "/api/projects/{project_id}/schema_property_groups/{id}/": {"get", "patch", "put", "delete"},
    "/api/projects/{project_id}/event_schemas/": {"get", "post"},
    "/api/projects/{project_id}/event_schemas/{id}/": {"get", "patch", "put", "delete"},
}


async def test_schema_lists_every_api_route(db: Database) -> None:
    app = create_app(app_settings(), database=db)
    routes: dict[str, set[str]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema and context.path.startswith("/api/"):
            routes.setdefault(context.path, set()).update(method.lower() for method in context.methods)

    async with app_client(app) as http:
        response = await http.get("/api/schema/")
        without_slash = await http.get("/api/schema")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    schema = response.json()
    assert without_slash.json() == schema
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "eventschema"
    documented = {path: set(item) for path, item in schema["paths"].items() if path.startswith("/api/")}
    assert documented == routes
    for path, methods in DOCUMENTED_AT_LEAST.items():
        assert methods <= documented[path], path
    assert "/_health/" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["PersonalAPIKey"]["scheme"] == "bearer"


async def test_write_operations_document_every_accepted_body_type(client) -> None:
    schema = (await client.get("/api/schema/")).json()
    operation = schema["paths"]["/api/projects/{project_id}/event_definitions/"]["post"]

    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}
    ref = content["application/json"]["schema"]["$ref"]
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert model["required"] == ["name"]


async def test_docs_page(client) -> None:
    for url in ("/api/schema/docs/", "/api/schema/docs"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert "/api/schema/" in response.text


EXPECTED_ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


async def test_docs_page_works_offline(client) -> None:
    """Every URL the page references is served by the process itself, with its content type; none is remote."""
    html = (await client.get("/api/schema/docs/")).text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']""", html)
    referenced = {url for pair in urls for url in pair if url}
    assert not re.search(r"https?://|//cdn|oauth2-redirect", html)
    assert {url.rsplit(".", 1)[-1] for url in referenced} >= {"js", "css"}
    for url in referenced:
        assert url.startswith("/"), url
        response = await client.get(url)
        assert response.status_code == 200, url
        suffix = "." + url.rsplit(".", 1)[-1] if "." in url.rsplit("/", 1)[-1] else None
        if suffix:
            assert response.headers["content-type"].startswith(EXPECTED_ASSET_TYPES[suffix]), url
            assert len(response.content) > 1000, url
    bundle = next(url for url in referenced if url.endswith(".js"))
    assert "SwaggerUIBundle" in (await client.get(bundle)).text
