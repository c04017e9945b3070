"""GET event_definitions/{typescript,python,golang,json,jsonschema}/ on both back ends: shape, content, auth,
inclusion."""

import json

import pytest

from eventschema.codegen import GENERATORS, generate
from eventschema.codegen.hashing import GENERATOR_VERSION
from eventschema.codegen.names import json_string
from eventschema.codegen.plan import build_plan
from tests.codegen import fixture
from tests.event_schemas.api import NOT_FOUND, count_list_statements, foreign_project, seed_links
from tests.factories import Account, make_key

LANGUAGES = sorted(GENERATORS)


async def _get(client, account: Account, language: str, headers: dict[str, str] | None = None):
    return await client.get(
        account.url(f"event_definitions/{language}/"), headers=account.headers if headers is None else headers
    )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_returns_exactly_the_generated_file_and_its_fingerprint(client, account: Account, language: str) -> None:
    await fixture.create_via_api(client, account)
    response = await _get(client, account, language)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["content", "event_count", "schema_hash", "generator_version"]
    expected = generate(fixture.plan(), language)
    assert body["content"] == expected.content
    assert (body["event_count"], body["schema_hash"], body["generator_version"]) == (
        len(fixture.INCLUDED),
        expected.schema_hash,
        GENERATOR_VERSION,
    )


async def test_no_event_is_dropped_and_dollar_events_need_a_group(client, account: Account) -> None:
    await fixture.create_via_api(client, account)
    content = (await _get(client, account, "typescript")).json()["content"]
    body = content[content.index("interface EventSchemas {") :]
    for name in fixture.INCLUDED:
        assert f"\n    {json_string(name)}: " in body
    assert '"$autocapture"' not in content


async def test_system_events_apps_capture_by_hand_are_typed_without_a_schema(client, account: Account) -> None:
    for name in ("$pageview", "$pageleave", "$screen", "$autocapture", "$identify", "signed up"):
        response = await client.post(account.url("event_definitions/"), json={"name": name}, headers=account.headers)
        assert response.status_code == 201, response.text
    body = (await _get(client, account, "json")).json()
    listed = [event["name"] for event in json.loads(body["content"])]
    assert listed == ["$pageleave", "$pageview", "$screen", "signed up"]
    assert body["event_count"] == 4
    python = (await _get(client, account, "python")).json()["content"]
    assert "def capture_pageview(" in python and "capture_autocapture" not in python
    golang = (await _get(client, account, "golang")).json()["content"]
    assert "func ScreenCapture(" in golang and "Autocapture" not in golang


async def test_json_is_posthogs_list_of_events_with_their_properties(client, account: Account) -> None:
    await fixture.create_via_api(client, account)
    found = await client.get(account.url("event_definitions/by_name/?name=purchase"), headers=account.headers)
    described = await client.patch(
        account.url(f"event_definitions/{found.json()['id']}/"), json={"description": "paid"}, headers=account.headers
    )
    assert described.status_code == 200, described.text
    events = json.loads((await _get(client, account, "json")).json()["content"])
    assert [event["name"] for event in events] == fixture.INCLUDED
    purchase = next(event for event in events if event["name"] == "purchase")
    assert list(purchase) == ["name", "description", "properties"]
    assert purchase["description"] == "paid"
    assert next(event for event in events if event["name"] == "func")["description"] is None
    assert purchase["properties"][:3] == [
        {"name": "amount", "type": "Numeric", "required": True},
        {"name": "class", "type": "String", "required": False},
        {"name": "coupon", "type": "String", "required": False},
    ]
    assert [p for p in purchase["properties"] if p["name"] == "shared"] == [
        {"name": "shared", "type": "Boolean", "required": True},
        {"name": "shared", "type": "Numeric", "required": True},
    ]
    assert next(event for event in events if event["name"] == "func")["properties"] == []


async def test_an_empty_project_generates_the_files_for_no_events(client, account: Account) -> None:
    for language in LANGUAGES:
        body = (await _get(client, account, language)).json()
        expected = generate(build_plan([], [], {}), language)
        assert (body["content"], body["event_count"], body["schema_hash"]) == (
            expected.content,
            0,
            expected.schema_hash,
        )


async def test_current_project_alias(client, account: Account) -> None:
    await fixture.create_via_api(client, account)
    response = await client.get("/api/projects/@current/event_definitions/python/", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["event_count"] == len(fixture.INCLUDED)


async def test_no_credentials_is_401(client, account: Account) -> None:
    for language in LANGUAGES:
        response = await _get(client, account, language, headers={})
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_key_without_event_definition_read_is_403(client, db, account: Account) -> None:
    key = await make_key(db, account.email, ["project:read"])
    for language in LANGUAGES:
        response = await _get(client, account, language, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 403
        assert response.json()["detail"] == "API key missing required scope 'event_definition:read'"
    read_only = await make_key(db, account.email, ["event_definition:read"])
    assert (await _get(client, account, "json", headers={"Authorization": f"Bearer {read_only}"})).status_code == 200


async def test_unknown_project_is_404_and_a_foreign_one_403(client, db, account: Account) -> None:
    response = await client.get("/api/projects/999999/event_definitions/golang/", headers=account.headers)
    assert (response.status_code, response.json()["detail"]) == (404, "Project not found.")
    other = await foreign_project(db)
    response = await client.get(f"/api/projects/{other}/event_definitions/golang/", headers=account.headers)
    assert response.status_code == 403


async def test_an_unknown_language_is_the_event_definition_routes_404(client, account: Account) -> None:
    for path in ("rust/", "TypeScript/", "typescript/extra/"):
        response = await client.get(account.url(f"event_definitions/{path}"), headers=account.headers)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


async def test_other_verbs_are_405(client, account: Account) -> None:
    response = await client.post(account.url("event_definitions/typescript/"), json={}, headers=account.headers)
    assert response.status_code == 405


async def test_trailing_slash_is_optional(client, account: Account) -> None:
    response = await client.get(account.url("event_definitions/typescript"), headers=account.headers)
    assert response.status_code == 200


async def test_statements_do_not_grow_with_the_plan(client, db, account: Account, count_statements) -> None:
    assert (await _get(client, account, "json")).status_code == 200  # the key's first use is recorded once
    await seed_links(db, account, 1)
    one, _ = await count_list_statements(client, account, count_statements, "event_definitions/typescript/")
    await seed_links(db, account, 40, groups=5, prefix="more ")
    many, body = await count_list_statements(client, account, count_statements, "event_definitions/typescript/")
    assert body["event_count"] == 41
    assert many == one
