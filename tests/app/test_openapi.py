"""/api/schema/ (OpenAPI) and /api/schema/docs/."""

import re
from typing import Any

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
    "/api/projects/{project_id}/schema_property_groups/{id}/properties/": {"post"},
    "/api/projects/{project_id}/schema_property_groups/{id}/properties/{property_id}/": {"get", "patch", "delete"},
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
    assert set(schema["paths"]) - set(documented) == {"/_health/", "/e/", "/i/v0/e/", "/capture/", "/batch/", "/track/"}
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


async def _schema(client) -> dict[str, Any]:
    return (await client.get("/api/schema/")).json()  # type: ignore[no-any-return]


async def test_every_error_status_is_documented_with_the_error_body_and_422_is_gone(client) -> None:
    schema = await _schema(client)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["type", "code", "detail", "attr"] and error["additionalProperties"] is False
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "422" not in responses, (method, path)
            if not path.startswith("/api/"):
                continue
            expected = {"401", "403", "429", "503"}
            if "requestBody" in operation:
                expected |= {"400", "413", "415"}
            if "{" in path:
                expected.add("404")
            assert expected <= set(responses), (method, path)
            for status in expected:
                ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
            assert responses["429"]["headers"]["Retry-After"]["required"] is True


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


async def test_list_routes_document_paging_and_their_filters(client) -> None:
    paths = (await _schema(client))["paths"]
    base = "/api/projects/{project_id}/"
    filters = {
        "/api/projects/": set(),
        base + "event_definitions/": {"search"},
        base + "schema_property_groups/": set(),
        base + "event_schemas/": {"event_definition"},
        base + "event_schemas/violations/": {"event", "since", "until", "interval"},
        base + "events/": {"event"},
        base + "drift/": set(),
        base + "alert_webhooks/": set(),
        base + "event_definitions/{id}/observed_properties/": {"sdk"},
        base + "quarantine/": {"event", "reason", "after", "before"},
    }
    for path, names in filters.items():
        parameters = _parameters(paths[path]["get"])
        assert set(parameters) == {"limit", "offset", *names}, path
        assert not any(p["required"] for p in parameters.values()), path
    reason = _parameters(paths[base + "quarantine/"]["get"])["reason"]["schema"]
    assert {"missing_required", "type_mismatch", "unexpected_property"} <= set(reason["enum"])
    by_name = _parameters(paths[base + "event_definitions/by_name/"]["get"])
    assert by_name["name"]["required"] is True


async def test_enums_are_declared(client) -> None:
    components = (await _schema(client))["components"]["schemas"]
    assert components["EventDefinitionCreate"]["properties"]["enforcement_mode"]["enum"] == ["allow", "warn", "reject"]
    assert set(components["PropertyWrite"]["properties"]["property_type"]["enum"]) == {
        "DateTime",
        "String",
        "Numeric",
        "Boolean",
        "Object",
        "Any",
        "Array",
    }
    assert components["ValidationSettingsUpdate"]["properties"]["validation_mode"]["enum"] == ["posthog", "strict"]


async def test_forms_are_offered_only_where_a_form_can_carry_the_body(client) -> None:
    paths = (await _schema(client))["paths"]
    base = "/api/projects/{project_id}/"
    content = paths[base + "schema_property_groups/"]["post"]["requestBody"]["content"]
    # A form carries the plain fields only: `properties`, a list of objects, needs JSON.
    assert set(content["multipart/form-data"]["schema"]["properties"]) == {"name", "description"}
    content = paths[base + "quarantine/replay/"]["post"]["requestBody"]["content"]
    fields = set(content["application/x-www-form-urlencoded"]["schema"]["properties"])
    assert fields == {"event", "reason", "after", "before"}
    content = paths[base + "event_schemas/validate/"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json"}
    form = paths[base + "event_schemas/"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert set(form["schema"]["properties"]) == {"event_definition", "property_group_id"}
    assert paths[base + "event_definitions/{id}/"]["patch"]["requestBody"]["required"] is False


async def test_capture_routes_and_health_are_documented(client) -> None:
    paths = (await _schema(client))["paths"]
    for path in ("/e/", "/i/v0/e/", "/capture/", "/batch/", "/track/"):
        operation = paths[path]["post"]
        assert operation["security"] == []
        assert {"200", "400", "401", "413", "503"} <= set(operation["responses"]), path
    health = paths["/_health/"]["get"]
    assert health["security"] == [] and {"200", "503"} <= set(health["responses"])


async def test_event_schema_responses_document_property_group_id(client) -> None:
    read = (await _schema(client))["components"]["schemas"]["EventSchemaRead"]
    assert list(read["properties"])[2:4] == ["property_group", "property_group_id"]


async def test_405_names_every_method_of_the_path(client) -> None:
    response = await client.request("OPTIONS", "/api/projects/1/event_schemas/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    by_name = await client.request("OPTIONS", "/api/projects/1/event_definitions/by_name/")
    assert by_name.headers["allow"] == "GET"  # not the methods of `{id}/`, whose pattern it also matches
    capture = await client.get("/e/")
    assert capture.status_code == 405 and capture.headers["allow"] == "POST"


async def test_nul_in_a_text_filter_is_a_400(client, account) -> None:
    for path in ("event_definitions/?search=a%00b", "event_schemas/violations/?event=a%00b"):
        response = await client.get(account.url(path), headers=account.headers)
        assert response.status_code == 400, path
        assert response.json()["type"] == "validation_error"
