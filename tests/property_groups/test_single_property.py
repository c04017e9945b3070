"""One property of a group at a time: POST .../:id/properties/ and GET/PATCH/DELETE .../:id/properties/:property_id/.

Each write is checked as in a whole-group update and changes what the group shows at once: its revision (so the
rendered group, cached per process, is rebuilt), its `updated_at`, and the compiled checkers of the project.
"""

import asyncio
from typing import Any

from eventschema.db import Database
from tests.enforcement.helpers import define, validate
from tests.event_schemas.api import (
    BAD_HEADER_KEY,
    NO_SUCH_ID,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    PROPERTY_KEYS,
    create_definition,
    create_group,
    denied,
    error,
    foreign_project,
    instant,
    link,
    prop,
)
from tests.factories import Account, make_account, make_key


def _properties(account: Account, group_id: str) -> str:
    return account.url(f"schema_property_groups/{group_id}/properties/")


def _property(account: Account, group_id: str, property_id: str) -> str:
    return account.url(f"schema_property_groups/{group_id}/properties/{property_id}/")


async def _group(client, account: Account, group_id: str) -> dict[str, Any]:
    response = await client.get(account.url(f"schema_property_groups/{group_id}/"), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_create_read_update_delete(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan")])
    body = prop("seats", "Numeric", is_required=True, description="paid", validation_rules={"minimum": 1})
    response = await client.post(_properties(account, group["id"]), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    seats = response.json()
    assert list(seats) == PROPERTY_KEYS
    expected = {**body, "is_optional_in_types": False}
    assert {key: seats[key] for key in expected} == expected
    assert seats in (await _group(client, account, group["id"]))["properties"]

    fetched = await client.get(_property(account, group["id"], seats["id"]), headers=account.headers)
    assert (fetched.status_code, fetched.json()) == (200, seats)

    change = {"description": "seats paid for", "validation_rules": {"minimum": 1, "maximum": 500}}
    response = await client.patch(_property(account, group["id"], seats["id"]), json=change, headers=account.headers)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated == {**seats, **change, "updated_at": updated["updated_at"]}
    assert instant(updated["updated_at"]) > instant(seats["updated_at"])
    assert (await client.get(_property(account, group["id"], seats["id"]), headers=account.headers)).json() == updated

    response = await client.delete(_property(account, group["id"], seats["id"]), headers=account.headers)
    assert (response.status_code, response.content) == (204, b"")
    gone = await client.get(_property(account, group["id"], seats["id"]), headers=account.headers)
    assert (gone.status_code, gone.json()) == (404, NOT_FOUND)
    assert [p["name"] for p in (await _group(client, account, group["id"]))["properties"]] == ["plan"]


async def test_patch_changes_only_what_is_sent(client, account: Account) -> None:
    rules = {"enum": ["free", "pro"]}
    group = await create_group(client, account, "g", [prop("plan", is_required=True, validation_rules=rules)])
    plan = group["properties"][0]
    url = _property(account, group["id"], plan["id"])
    response = await client.patch(url, json={"name": "tier"}, headers=account.headers)
    assert response.json() == {**plan, "name": "tier", "updated_at": response.json()["updated_at"]}
    response = await client.patch(url, json={"validation_rules": None}, headers=account.headers)
    assert (response.json()["validation_rules"], response.json()["is_required"]) == (None, True)
    response = await client.patch(url, json={"validation_rules": {}}, headers=account.headers)
    assert response.json()["validation_rules"] is None
    response = await client.patch(url, json={}, headers=account.headers)
    assert response.status_code == 200
    assert response.json()["name"] == "tier"


async def test_nested_rules_are_normalised(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    rules = {"properties": [{"name": "sku", "property_type": "String"}], "additionalProperties": False}
    body = prop("item", "Object", validation_rules=rules)
    response = await client.post(_properties(account, group["id"]), json=body, headers=account.headers)
    assert response.json()["validation_rules"] == {
        "properties": [
            {
                "name": "sku",
                "property_type": "String",
                "is_required": False,
                "is_optional_in_types": False,
                "description": "",
                "validation_rules": None,
            }
        ],
        "additionalProperties": False,
    }


async def test_each_write_bumps_the_group_and_cached_lists_show_it_at_once(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan")])
    definition = await create_definition(client, account, "signed up")
    await link(client, account, definition["id"], group["id"])
    before = await _group(client, account, group["id"])

    async def shown() -> list[list[tuple[str, Any]]]:
        """The group's properties in the group list, its detail and the event schema list (all cached)."""
        groups = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()
        links = (await client.get(account.url("event_schemas/"), headers=account.headers)).json()
        bodies = [
            groups["results"][0],
            await _group(client, account, group["id"]),
            links["results"][0]["property_group"],
        ]
        return [[(p["name"], p["validation_rules"]) for p in body["properties"]] for body in bodies]

    await shown()  # rendered and kept
    body = prop("seats", "Numeric", validation_rules={"minimum": 1})
    created = (await client.post(_properties(account, group["id"]), json=body, headers=account.headers)).json()
    assert await shown() == [[("plan", None), ("seats", {"minimum": 1})]] * 3
    url = _property(account, group["id"], created["id"])
    await client.patch(url, json={"validation_rules": {"maximum": 9}}, headers=account.headers)
    assert await shown() == [[("plan", None), ("seats", {"maximum": 9})]] * 3
    await client.delete(url, headers=account.headers)
    assert await shown() == [[("plan", None)]] * 3
    after = await _group(client, account, group["id"])
    assert instant(after["updated_at"]) > instant(before["updated_at"])


async def test_writes_reach_the_compiled_checkers_at_once(client, account: Account) -> None:
    created = await define(client, account, properties=[prop("plan")])
    group_id = created["group"]["id"]
    event = {"event": "signed up", "properties": {"plan": "pro"}}
    assert (await validate(client, account, event))[0]["valid"] is True
    body = prop("seats", "Numeric", is_required=True)
    seats = (await client.post(_properties(account, group_id), json=body, headers=account.headers)).json()
    [result] = await validate(client, account, event)
    assert [(v["property"], v["reason"]) for v in result["violations"]] == [("seats", "missing_required")]
    await client.patch(_property(account, group_id, seats["id"]), json={"is_required": False}, headers=account.headers)
    assert (await validate(client, account, event))[0]["valid"] is True
    await client.patch(_property(account, group_id, seats["id"]), json={"is_required": True}, headers=account.headers)
    assert (await validate(client, account, event))[0]["valid"] is False
    await client.delete(_property(account, group_id, seats["id"]), headers=account.headers)
    assert (await validate(client, account, event))[0]["valid"] is True


async def test_duplicate_names_are_400(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan"), prop("seats", "Numeric")])
    taken = error("invalid_input", "A property named 'plan' already exists in this group", "name")
    response = await client.post(_properties(account, group["id"]), json=prop("plan"), headers=account.headers)
    assert (response.status_code, response.json()) == (400, taken)
    seats = next(p for p in group["properties"] if p["name"] == "seats")
    url = _property(account, group["id"], seats["id"])
    response = await client.patch(url, json={"name": " plan "}, headers=account.headers)
    assert (response.status_code, response.json()) == (400, taken)
    assert await _group(client, account, group["id"]) == group
    # Another group may use the name, and a property may keep its own.
    other = await create_group(client, account, "other")
    response = await client.post(_properties(account, other["id"]), json=prop("plan"), headers=account.headers)
    assert response.status_code == 201
    response = await client.patch(url, json={"name": "seats"}, headers=account.headers)
    assert response.status_code == 200


async def test_invalid_bodies_are_400_and_change_nothing(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan", validation_rules={"maxLength": 5})])
    plan = group["properties"][0]
    url = _property(account, group["id"], plan["id"])
    not_for_boolean = '"maxLength" does not apply to a Boolean property (only to String).'
    cases: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        ("POST", _properties(account, group["id"]), {}, error("required", "This field is required.", "name")),
        (
            "POST",
            _properties(account, group["id"]),
            prop("on", "Boolean", validation_rules={"maxLength": 1}),
            error("invalid_input", not_for_boolean, "validation_rules__maxLength"),
        ),
        (
            "POST",
            _properties(account, group["id"]),
            prop("code", validation_rules={"pattern": "(?=x)"}),
            error(
                "invalid_input",
                "Not a valid regular expression (invalid perl operator: (?=). Patterns use RE2 syntax, which has no "
                "lookarounds and no backreferences.",
                "validation_rules__pattern",
            ),
        ),
        ("PATCH", url, {"name": None}, error("null", "This field may not be null.", "name")),
        ("PATCH", url, {"is_required": "perhaps"}, error("invalid_input", "Must be a valid boolean.", "is_required")),
        (
            "PATCH",
            url,
            {"property_type": "Duration"},
            error(
                "invalid_choice",
                '"Duration" is not a valid choice. Choose one of: DateTime, String, Numeric, Boolean, Object, Any, '
                "Array.",
                "property_type",
            ),
        ),
        (
            "PATCH",
            url,
            {"validation_rules": {"bogus": 1}},
            error("invalid_input", "Unknown field.", "validation_rules__bogus"),
        ),
        # The rules kept from before must fit a new type too.
        (
            "PATCH",
            url,
            {"property_type": "Boolean"},
            error("invalid_input", not_for_boolean, "validation_rules__maxLength"),
        ),
        (
            "PATCH",
            url,
            {"validation_rules": {"minLength": 4, "maxLength": 3}},
            error(
                "invalid_input", "No value can satisfy both minLength 4 and maxLength 3.", "validation_rules__minLength"
            ),
        ),
    ]
    for method, target, body, expected in cases:
        response = await client.request(method, target, json=body, headers=account.headers)
        assert (method, body, response.status_code, response.json()) == (method, body, 400, expected)
    assert await _group(client, account, group["id"]) == group


async def test_a_new_type_with_fitting_rules_is_accepted(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan", validation_rules={"enum": ["1", "2"]})])
    url = _property(account, group["id"], group["properties"][0]["id"])
    response = await client.patch(url, json={"property_type": "Any"}, headers=account.headers)
    assert (response.json()["property_type"], response.json()["validation_rules"]) == ("Any", {"enum": ["1", "2"]})
    body = {"property_type": "Numeric", "validation_rules": {"enum": [1, 2]}}
    response = await client.patch(url, json=body, headers=account.headers)
    assert (response.json()["property_type"], response.json()["validation_rules"]) == ("Numeric", {"enum": [1, 2]})


async def test_form_bodies_are_accepted(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    data = {"name": "plan", "property_type": "String", "is_required": "true"}
    response = await client.post(_properties(account, group["id"]), data=data, headers=account.headers)
    assert response.status_code == 201, response.text
    assert (response.json()["is_required"], response.json()["validation_rules"]) == (True, None)


async def test_unknown_group_or_property_is_404(client, db: Database, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("plan")])
    other = await create_group(client, account, "other", [prop("elsewhere")])
    elsewhere = other["properties"][0]["id"]
    plan = group["properties"][0]["id"]
    foreign = await make_account(db, email="foreign@example.com", project="Foreign")
    foreign_group = await create_group(client, foreign, "g", [prop("plan")])
    foreign_plan = foreign_group["properties"][0]["id"]
    urls = [
        _property(account, group["id"], elsewhere),  # a property of another group
        _property(account, group["id"], NO_SUCH_ID),
        _property(account, NO_SUCH_ID, plan),
        _property(account, other["id"], plan),
        _property(account, foreign_group["id"], foreign_plan),  # a group of another project
        _property(account, group["id"], "not-a-uuid"),
        _property(account, "1", plan),
    ]
    for url in urls:
        for method, body in (("GET", None), ("PATCH", {"name": None}), ("PATCH", {"name": "x"}), ("DELETE", None)):
            response = await client.request(method, url, json=body, headers=account.headers)
            assert (method, url, response.status_code, response.json()) == (method, url, 404, NOT_FOUND)
    for group_id in (NO_SUCH_ID, foreign_group["id"], "nope"):
        for body in (prop("x"), {}):
            response = await client.post(_properties(account, group_id), json=body, headers=account.headers)
            assert (group_id, response.status_code, response.json()) == (group_id, 404, NOT_FOUND)
    assert await _group(client, account, group["id"]) == group
    assert await _group(client, account, other["id"]) == other
    assert await _group(client, foreign, foreign_group["id"]) == foreign_group


async def test_trailing_slash_is_optional(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    url = _properties(account, group["id"]).rstrip("/")
    created = await client.post(url, json=prop("plan"), headers=account.headers)
    assert created.status_code == 201
    url = _property(account, group["id"], created.json()["id"]).rstrip("/")
    for method, status in (("GET", 200), ("PATCH", 200), ("DELETE", 204), ("GET", 404)):
        response = await client.request(method, url, json={} if method == "PATCH" else None, headers=account.headers)
        assert (method, response.status_code) == (method, status)


async def _routes(client, account: Account) -> list[tuple[str, str, dict[str, Any] | None]]:
    group = await create_group(client, account, "g", [prop("plan")])
    detail = _property(account, group["id"], group["properties"][0]["id"])
    return [
        ("GET", detail, None),
        ("POST", _properties(account, group["id"]), prop("seats", "Numeric")),
        ("PATCH", detail, {"description": "d"}),
        ("DELETE", detail, None),
    ]


async def _statuses(client, routes, headers: dict[str, str]) -> list[tuple[str, int, Any]]:
    results = []
    for method, url, body in routes:
        response = await client.request(method, url, json=body, headers=headers)
        results.append((method, response.status_code, response.json() if response.content else None))
    return results


async def test_401_without_or_with_a_bad_key(client, account: Account) -> None:
    for method, url, body in await _routes(client, account):
        response = await client.request(method, url, json=body)
        assert (method, response.status_code, response.json()) == (method, 401, NOT_AUTHENTICATED)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        response = await client.request(method, url, json=body, headers={"Authorization": "Bearer phx_wrong"})
        assert (method, response.status_code, response.json()) == (method, 401, BAD_HEADER_KEY)


async def test_scopes_are_those_of_the_group_routes(client, db: Database, account: Account) -> None:
    routes = await _routes(client, account)
    read_only = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:read'])}"}
    missing_write = denied("API key missing required scope 'event_definition:write'")
    assert await _statuses(client, routes, read_only) == [
        ("GET", 200, (await _statuses(client, routes[:1], account.headers))[0][2]),
        ("POST", 403, missing_write),
        ("PATCH", 403, missing_write),
        ("DELETE", 403, missing_write),
    ]
    unrelated = {"Authorization": f"Bearer {await make_key(db, account.email, ['project:write'])}"}
    results = await _statuses(client, routes, unrelated)
    assert results[0] == ("GET", 403, denied("API key missing required scope 'event_definition:read'"))
    assert [status for _, status, _ in results] == [403] * 4
    writer = {"Authorization": f"Bearer {await make_key(db, account.email, ['event_definition:write'])}"}
    assert [status for _, status, _ in await _statuses(client, routes, writer)] == [200, 201, 200, 204]


async def test_a_project_the_key_cannot_reach_is_403(client, db: Database, account: Account) -> None:
    routes = await _routes(client, account)
    other = await make_account(db, email="other@example.com", project="Other")
    limited = {"Authorization": f"Bearer {await make_key(db, account.email, ['*'], projects=[other.project_id])}"}
    expected = denied(f"API key does not have access to the requested project: ID {account.project_id}.")
    assert await _statuses(client, routes, limited) == [(method, 403, expected) for method, _, _ in routes]
    outsider = await foreign_project(db)
    for method, url, body in routes:
        url = url.replace(f"/projects/{account.project_id}/", f"/projects/{outsider}/")
        response = await client.request(method, url, json=body, headers=account.headers)
        assert (method, response.status_code, response.json()) == (
            method,
            403,
            denied("You don't have access to the project."),
        )


async def test_concurrent_writes_to_one_group_never_fail_with_a_500(client, account: Account) -> None:
    """Two adds of one name at once: one 201 and one 400; adds and a whole-group update at once all apply in turn."""
    group = await create_group(client, account, "g")
    for iteration in range(5):
        body = prop(f"dup {iteration}")
        responses = await asyncio.gather(
            *(client.post(_properties(account, group["id"]), json=body, headers=account.headers) for _ in range(2))
        )
        assert sorted(r.status_code for r in responses) == [201, 400]
        loser = next(r for r in responses if r.status_code == 400)
        assert loser.json() == error(
            "invalid_input", f"A property named 'dup {iteration}' already exists in this group", "name"
        )
    current = await _group(client, account, group["id"])
    kept = [{"id": p["id"], **prop(p["name"])} for p in current["properties"]]
    responses = await asyncio.gather(
        client.post(_properties(account, group["id"]), json=prop("added"), headers=account.headers),
        client.patch(
            account.url(f"schema_property_groups/{group['id']}/"),
            json={"properties": [*kept, prop("listed")]},
            headers=account.headers,
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 201]
    names = [p["name"] for p in (await _group(client, account, group["id"]))["properties"]]
    # Whichever went first, the group's list is consistent: the update's list, plus the added one if it came last.
    assert names in ([*[f"dup {i}" for i in range(5)], "listed"], ["added", *[f"dup {i}" for i in range(5)], "listed"])
