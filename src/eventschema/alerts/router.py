"""/api/projects/:project_id/alert_webhooks/ — list, create, delete."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from eventschema.alerts import service
from eventschema.alerts.schemas import AlertWebhookCreate, AlertWebhookPage, AlertWebhookRead
from eventschema.dependencies import ProjectContext, SessionDep, SettingsDep, project_access
from eventschema.openapi import list_parameters, request_body
from eventschema.pagination import page_params
from eventschema.routing import BodyDep, created, no_content, object_id, paginated, parse

router = APIRouter(prefix="/api/projects/{project_id}/alert_webhooks", tags=["alerts"])
Project = Annotated[ProjectContext, Depends(project_access("project"))]


@router.get("/", response_model=AlertWebhookPage, openapi_extra=list_parameters())
async def list_alert_webhooks(
    request: Request, project: Project, session: SessionDep, settings: SettingsDep
) -> Response:
    page = page_params(request, settings)
    total, rows = await service.list_page(session, project.id, page.limit, page.offset)
    return paginated(request, settings, page, total, [service.webhook_dict(row) for row in rows])


@router.post(
    "/",
    status_code=201,
    response_model=AlertWebhookRead,
    openapi_extra=request_body(AlertWebhookCreate),
)
async def create_alert_webhook(project: Project, session: SessionDep, body: BodyDep) -> Response:
    """Posted to (Slack-compatible JSON) once per event per hour when that event's violations reach `threshold`."""
    webhook = await service.create(session, project.id, parse(AlertWebhookCreate, body))
    await session.commit()
    return created(service.webhook_dict(webhook))


@router.delete("/{id}/", status_code=204)
async def delete_alert_webhook(id: str, project: Project, session: SessionDep) -> Response:
    await service.delete(session, project.id, object_id(id))
    await session.commit()
    return no_content()
