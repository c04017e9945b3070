"""The Code page over HTTP, on both back ends: the preview of each language is the API's generated code with its
schema_hash, the download is the same file named as `eventschema pull` writes it, and what the user may not see
is a 404."""

import pytest

from eventschema.codegen import FILE_NAMES, LANGUAGES
from tests.app.helpers import foreign_project
from tests.console.helpers import ConsoleUser, console_user, sign_in

SCRIPT = "<script>alert(1)</script>"


async def _api(client, user: ConsoleUser, method: str, path: str, **kwargs) -> dict:
    response = await client.request(
        method, f"/api/projects/{user.project_id}/{path}", headers=user.account.headers, **kwargs
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _plan(client, user: ConsoleUser) -> None:
    definition = await _api(client, user, "POST", "event_definitions/", json={"name": "checkout"})
    group = await _api(
        client, user, "POST", "schema_property_groups/",
        json={"name": "cart", "properties": [{"name": "total", "property_type": "Numeric", "is_required": True}]},
    )  # fmt: skip
    body = {"event_definition": definition["id"], "property_group_id": group["id"]}
    await _api(client, user, "POST", "event_schemas/", json=body)


def test_every_language_has_a_file_name_as_pull_writes_it() -> None:
    from eventschema.cli.pull import DEFAULT_OUTPUTS

    assert set(FILE_NAMES) == set(LANGUAGES)
    assert {language.value: name for language, name in DEFAULT_OUTPUTS.items()} == FILE_NAMES


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_preview_and_the_download_are_the_apis_code(client, db, language: str) -> None:
    user = await console_user(db)
    await _plan(client, user)
    generated = await _api(client, user, "GET", f"event_definitions/{language}/")
    await sign_in(client, user)

    page = await client.get(user.page(f"code/?language={language}"))
    download = await client.get(user.page(f"code/{language}/download/"))

    assert page.status_code == 200
    assert page.text.count("<h1>") == 1
    assert f'<code id="schema-hash">{generated["schema_hash"]}</code>' in page.text
    assert f"<code>{FILE_NAMES[language]}</code>" in page.text
    assert 'aria-current="page">' in page.text
    # The content, escaped as a <pre> shows it.
    escaped = generated["content"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped.replace('"', "&#34;").replace("'", "&#39;") in page.text
    assert download.status_code == 200
    assert download.text == generated["content"]
    assert download.headers["content-disposition"] == f'attachment; filename="{FILE_NAMES[language]}"'
    assert download.headers["x-schema-hash"] == generated["schema_hash"]


async def test_an_empty_plan_says_what_to_do_and_unknown_languages_fall_back_or_404(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    page = await client.get(user.page("code/?language=cobol"))
    download = await client.get(user.page("code/cobol/download/"))

    assert page.status_code == 200
    assert "No events yet" in page.text
    assert "posthog-typed.ts" in page.text  # TypeScript, the default
    assert download.status_code == 404 and "<h1>Page not found</h1>" in download.text


async def test_another_projects_code_is_a_404(client, db) -> None:
    user = await console_user(db)
    foreign = await foreign_project(db)
    await sign_in(client, user)

    for path in (f"/projects/{foreign}/code/", f"/projects/{foreign}/code/typescript/download/"):
        response = await client.get(path)
        assert response.status_code == 404, path


async def test_names_in_the_code_are_escaped(client, db) -> None:
    user = await console_user(db)
    await _api(client, user, "POST", "event_definitions/", json={"name": SCRIPT, "description": SCRIPT})
    await sign_in(client, user)

    for language in LANGUAGES:
        page = await client.get(user.page(f"code/?language={language}"))
        assert page.status_code == 200
        assert "<script>alert" not in page.text
