"""Helpers every router uses: body parsing into request models, ids in paths, paginated responses."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import pydantic
from fastapi import Depends, Request
from starlette.responses import Response

from eventschema import errors
from eventschema.bodies import read_body
from eventschema.pagination import Page, links
from eventschema.property_groups.rendering import GroupRenderer
from eventschema.rendering import JSONResponse
from eventschema.settings import Settings

Model = TypeVar("Model", bound=pydantic.BaseModel)

BodyDep = Annotated[dict[str, Any], Depends(read_body)]


async def get_renderer(request: Request) -> GroupRenderer:
    return request.app.state.group_renderer  # type: ignore[no-any-return]


RendererDep = Annotated[GroupRenderer, Depends(get_renderer)]


def parse(model: type[Model], body: dict[str, Any]) -> Model:
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        raise errors.from_pydantic(exc) from exc


async def parse_for_update(model: type[Model], body: dict[str, Any], exists: Callable[[], Awaitable[object]]) -> Model:
    """Parse an update's body; if it is invalid, first make sure the object exists.

    PostHog looks the object up before validating, so an unknown id is a 404 whatever the body says. The
    look-up only costs a statement on the error path.
    """
    try:
        return parse(model, body)
    except errors.ValidationError:
        await exists()
        raise


def object_id(raw: str) -> UUID:
    """A path id; anything that is not a UUID cannot name an object, so it is a 404 as in PostHog."""
    try:
        return UUID(raw)
    except ValueError:
        raise errors.NotFound() from None


def uuid_filter(name: str, raw: str | None) -> UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise errors.ValidationError("Must be a valid UUID.", attr=name) from None


def paginated(request: Request, settings: Settings, page: Page, count: int, results: list[Any]) -> Response:
    next_url, previous_url = links(request, settings, page, count)
    return JSONResponse({"count": count, "next": next_url, "previous": previous_url, "results": results})


def created(content: Any) -> Response:
    return JSONResponse(content, status_code=201)


def no_content() -> Response:
    return Response(status_code=204)
