"""/api/projects/:project_id/event_schemas/validate/ and .../violations/.

Included in the app before the event schemas router, whose `/{id}/` routes would otherwise take these paths.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema import errors
from eventschema.bodies import takes_batches
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access, snapshot
from eventschema.enforcement import service
from eventschema.enforcement.cache import PlanCache
from eventschema.enforcement.schemas import (
    MAX_BATCH,
    BatchToValidate,
    EventToValidate,
    ValidateResultsRead,
    ViolationCountPage,
    ViolationHistoryPage,
)
from eventschema.fields import QueryText
from eventschema.models import utcnow
from eventschema.openapi import list_parameters, query, request_body
from eventschema.pagination import page_params
from eventschema.rendering import JSONResponse
from eventschema.routing import BodyDep, paginated, parse

router = APIRouter(prefix="/api/projects/{project_id}/event_schemas", tags=["enforcement"])
Reader = Annotated[ProjectContext, Depends(project_access("event_definition", reads=True))]


async def get_plans(request: Request) -> PlanCache:
    return request.app.state.plans  # type: ignore[no-any-return]


PlansDep = Annotated[PlanCache, Depends(get_plans)]


def _events(body: dict[str, Any]) -> list[EventToValidate]:
    """One event (`{"event", "properties"}`) or `{"batch": [...]}` of up to MAX_BATCH."""
    if "batch" not in body:
        return [parse(EventToValidate, body)]
    batch = body["batch"]
    if isinstance(batch, list) and len(batch) > MAX_BATCH:
        raise errors.ValidationError(
            f"Ensure this field has no more than {MAX_BATCH} elements.", code="max_length", attr="batch"
        )
    return parse(BatchToValidate, body).batch


@router.post(
    "/validate/",
    response_model=ValidateResultsRead,
    openapi_extra=request_body(EventToValidate, alternatives=(BatchToValidate,)),
)
@takes_batches
async def validate_events(
    request: Request, project: Reader, session: SessionDep, plans: PlansDep, body: BodyDep
) -> Response:
    """One event (`{"event", "properties"}`) or `{"batch": [...]}`; needs only `event_definition:read`."""
    version = (await snapshot(request, project.id)).version(project.id)
    results = await service.validate(session, plans, project.id, _events(body), version)
    await session.commit()  # the key's last use, if it was due
    return JSONResponse({"results": results})


# Empty values mean "not given", as in the other routes' filters.
TIME = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]}
HISTORY_PARAMETERS = (
    query("since", "History from this time (ISO 8601), rounded down to its bucket.", TIME),
    query("until", "History before this time (ISO 8601); default: the end of the current hour.", TIME),
    query("interval", "Bucket size of the history.", {"type": "string", "enum": ["hour", "day", ""]}),
)


@router.get(
    "/violations/",
    response_model=ViolationCountPage | ViolationHistoryPage,
    openapi_extra=list_parameters(query("event", "Only violations of events of this name."), *HISTORY_PARAMETERS),
)
async def violation_counts(
    request: Request,
    project: Reader,
    session: SessionDep,
    settings: SettingsDep,
    event: QueryText = None,
    since: QueryText = None,
    until: QueryText = None,
    interval: QueryText = None,
) -> Response:
    """The last 24 hours per event, property and reason; with `since`, `until` or `interval`, the history (kept
    `violation_history_days`) per event and property, counted per hour or day."""
    page = page_params(request, settings)
    if not since and not until and not interval:
        total, results = await service.violation_counts(session, project.id, event, page.limit, page.offset)
        return paginated(request, settings, page, total, results)
    start, end, bucket = service.history_range(
        query_time(since, "since"), query_time(until, "until"), interval or None, utcnow()
    )
    total, history = await service.violation_history(
        session, project.id, event, start, end, bucket, page.limit, page.offset
    )
    return paginated(request, settings, page, total, history)


def query_time(raw: str | None, name: str) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace(" ", "+"))  # an unencoded '+' of an offset arrives as a space
    except ValueError:
        raise errors.ValidationError("Enter a valid ISO 8601 date-time.", code="invalid", attr=name) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
