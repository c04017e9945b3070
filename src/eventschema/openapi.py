"""OpenAPI for routes that read their body themselves (JSON, form or multipart) instead of via FastAPI."""

from typing import Any

import pydantic
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from eventschema.bodies import FORM_TYPES

REF_TEMPLATE = "#/components/schemas/{model}"
_components: dict[str, Any] = {}


def request_body(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring `model` as the request body in every accepted media type."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE)
    _components.update(schema.pop("$defs", {}))
    _components[model.__name__] = schema
    ref = {"$ref": REF_TEMPLATE.format(model=model.__name__)}
    content = {media_type: {"schema": ref} for media_type in ("application/json", *FORM_TYPES)}
    return {"requestBody": {"required": True, "content": content}}


def install(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(_components)
            schema["components"]["securitySchemes"] = {
                "PersonalAPIKey": {"type": "http", "scheme": "bearer", "description": "A personal API key (phx_...)"}
            }
            schema["security"] = [{"PersonalAPIKey": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
