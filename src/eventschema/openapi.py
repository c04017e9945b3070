"""The OpenAPI document at /api/schema/, made to tell the truth about what each route answers.

Routes read their bodies themselves (`bodies.py`: JSON, or a form / multipart, which can carry only flat text
fields), so `request_body` declares each body as the server reads it; list routes declare their paging and
filters with `list_parameters`. `install` then adds what every route shares: the error body under each status
a route can answer, no 422 (errors are 400s in PostHog's shape), and the routes served outside the router: the
capture endpoints and /_health/.
"""

from typing import Any

import pydantic
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from eventschema import api_docs, openapi_paths
from eventschema.bodies import FORM_TYPES
from eventschema.fields import PartialModel
from eventschema.openapi_paths import ERROR, ERROR_SCHEMA, PAGINATION, error_response

REF_TEMPLATE = "#/components/schemas/{model}"
# Request bodies are read as Pydantic's lax mode reads them: a boolean may also be 0 or 1, or one of these words
# (in any case), which is also how a form carries one.
_BOOLEAN_WORDS = {
    "type": "string",
    "pattern": "^("
    + "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)
        for word in ("0", "1", "off", "on", "f", "t", "false", "true", "n", "y", "no", "yes")
    )
    + ")$",
}
_components: dict[str, Any] = {ERROR: ERROR_SCHEMA}


def _lax(schema: Any) -> Any:
    """`schema` with each boolean widened to what the server accepts for one."""
    if isinstance(schema, list):
        return [_lax(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "boolean":
        rest = {key: value for key, value in schema.items() if key != "type"}
        return {**rest, "anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, _BOOLEAN_WORDS]}
    return {key: _lax(value) for key, value in schema.items()}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A PATCH field's schema without `null`: PartialModel refuses an explicit null (code `null`)."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    return {**options[0], **rest} if len(options) == 1 else rest | ({"anyOf": options} if options else {})


def _form_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a body a form can carry (its plain string fields), or None when a required field is not one."""
    properties = {}
    for name, field in schema.get("properties", {}).items():
        options = [field, *field.get("anyOf", [])]
        text = next((option for option in options if option.get("type") == "string"), None)
        if text is not None:  # enums of strings too
            properties[name] = {**text, **({"description": field["description"]} if "description" in field else {})}
    required = schema.get("required", [])
    if any(name not in properties for name in required):
        return None
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


def request_body(
    model: type[pydantic.BaseModel], *, alternatives: tuple[type[pydantic.BaseModel], ...] = ()
) -> dict[str, Any]:
    """`openapi_extra` declaring `model` (or any of `alternatives`) as the body, in each media type that works."""
    refs = []
    form: dict[str, Any] | None = None
    for current in (model, *alternatives):
        schema = _lax(current.model_json_schema(ref_template=REF_TEMPLATE))
        _components.update(schema.pop("$defs", {}))
        if issubclass(current, PartialModel):
            schema["properties"] = {
                name: field if name in current.NULLABLE else _without_null(field)
                for name, field in schema["properties"].items()
            }
        _components[current.__name__] = schema
        refs.append({"$ref": REF_TEMPLATE.format(model=current.__name__)})
        if current is model:
            form = _form_schema(schema)
    content: dict[str, Any] = {"application/json": {"schema": refs[0] if len(refs) == 1 else {"anyOf": refs}}}
    if form is not None and not alternatives:
        content.update({media_type: {"schema": form} for media_type in FORM_TYPES})
    # A body without required fields may be left out (an empty PATCH changes nothing).
    required = any(_components[current.__name__].get("required") for current in (model, *alternatives))
    return {"requestBody": {"required": required, "content": content}}


def creation(
    resource: str,
    body: dict[str, Any],
    verbs: tuple[str, ...] = ("retrieve", "update", "replace", "delete"),
    id_parameter: str = "id",
) -> dict[str, Any]:
    """`openapi_extra` for a create route: its body, and links from the new object to the routes of its id (the
    path parameter `id_parameter`; other path parameters are passed on from the request)."""
    parameters = {"project_id": "$request.path.project_id", id_parameter: "$response.body#/id"}
    if id_parameter != "id":
        parameters["id"] = "$request.path.id"
    links = {f"{verb}_{resource}": {"operationId": f"{verb}_{resource}", "parameters": parameters} for verb in verbs}
    return {**body, "responses": {"201": {"links": links}}}


def list_parameters(*filters: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for a list route: `limit`, `offset` and the route's filters (these replace the
    declarations FastAPI derives from the handler's signature, which cannot say what a filter accepts)."""
    return {"parameters": [*PAGINATION, *filters]}


def query(
    name: str, description: str, schema: dict[str, Any] | None = None, *, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or openapi_paths.TEXT,
    }


def _statuses(path: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an /api/ operation can answer."""
    statuses = [401, 403, 429, 503]
    filters = [
        p for p in operation.get("parameters", []) if p["in"] == "query" and p["name"] not in ("limit", "offset")
    ]
    if "requestBody" in operation:
        statuses += [400, 413, 415]
    elif filters:
        statuses.append(400)
    if "{" in path:
        statuses.append(404)
    return sorted(statuses)


def _unique_parameters(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One declaration per (name, in); a route's own (`openapi_extra`, merged last) wins."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in parameters:
        chosen[(parameter["name"], parameter["in"])] = parameter
    return list(chosen.values())


_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of a representation the client holds: answered 304, with no body, if it is current.",
    "schema": {"type": "string"},
}
_ETAG = {"ETag": {"description": "A hash of the representation's bytes.", "schema": {"type": "string"}}}


def _conditional(operation: dict[str, Any]) -> None:
    """GETs answer with an ETag and honour If-None-Match (eventschema.http.etag)."""
    operation.setdefault("parameters", []).append(_IF_NONE_MATCH)
    responses = operation["responses"]
    if "200" in responses:
        responses["200"].setdefault("headers", {}).update(_ETAG)
    responses["304"] = {
        "description": "Not Modified: the representation is the one If-None-Match names.",
        "headers": _ETAG,
    }


def _complete(schema: dict[str, Any]) -> None:
    for path, item in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method == "get":
                _conditional(operation)
            if "parameters" in operation:
                operation["parameters"] = _unique_parameters(operation["parameters"])
            responses = operation["responses"]
            responses.pop("422", None)
            for status in _statuses(path, operation):
                responses.setdefault(str(status), error_response(status))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components.update(_components)
    schema["paths"].update(openapi_paths.outside_router())


def install(app: FastAPI, docs_url: str) -> None:
    """The document at the app's `openapi_url`, and the documentation page at `docs_url`."""
    assert app.openapi_url is not None

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            _complete(schema)
            schema["components"]["schemas"].update(openapi_paths.CAPTURE_COMPONENTS)
            schema["components"]["securitySchemes"] = {
                "PersonalAPIKey": {"type": "http", "scheme": "bearer", "description": "A personal API key (phx_...)"}
            }
            schema["security"] = [{"PersonalAPIKey": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
    api_docs.install(app, app.openapi_url, docs_url)
