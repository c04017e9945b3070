"""/projects/{project_id}/code/ (a preview of the generated code of one language) and
/projects/{project_id}/code/{language}/download/ (the file itself, named as `eventschema pull` writes it)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from eventschema.codegen import FILE_NAMES, LANGUAGES
from eventschema.codegen import service as codegen_service
from eventschema.console.deps import PageNotFound, ProjectPageDep
from eventschema.console.templating import SECURITY_HEADERS, render
from eventschema.dependencies import ResponsesDep, SessionDep

router = APIRouter(prefix="/projects/{project_id}/code", include_in_schema=False)

LABELS = {
    "typescript": "TypeScript",
    "python": "Python",
    "golang": "Go",
    "jsonschema": "JSON Schema",
    "json": "JSON list",
}
MEDIA_TYPES = {"typescript": "text/plain", "python": "text/x-python", "golang": "text/plain"}


@router.get("/")
async def code_page(request: Request, page: ProjectPageDep, session: SessionDep, responses: ResponsesDep) -> Response:
    language = request.query_params.get("language", "typescript")
    if language not in LANGUAGES:
        language = "typescript"
    generated = await codegen_service.kept_code(session, responses, page.project.id, language)
    return render(
        request,
        "code/page.html",
        page,
        language=language,
        labels=LABELS,
        generated=generated,
        file_name=FILE_NAMES[language],
    )


@router.get("/{language}/download/")
async def download(language: str, page: ProjectPageDep, session: SessionDep, responses: ResponsesDep) -> Response:
    if language not in LANGUAGES:
        raise PageNotFound()
    generated = await codegen_service.kept_code(session, responses, page.project.id, language)
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="{FILE_NAMES[language]}"',
        "X-Schema-Hash": generated.schema_hash,
    }
    media_type = MEDIA_TYPES.get(language, "application/json")
    return Response(generated.content, media_type=f"{media_type}; charset=utf-8", headers=headers)
