"""PATCH/PUT with `properties`: the list is authoritative, existing ids are kept, and it is all or nothing."""

from tests.event_schemas.api import NO_SUCH_ID, create_group, instant, prop
from tests.factories import Account


async def _patch(client, account: Account, group_id: str, body: dict):
    return await client.patch(account.url(f"schema_property_groups/{group_id}/"), json=body, headers=account.headers)


async def _get(client, account: Account, group_id: str) -> dict:
    return (await client.get(account.url(f"schema_property_groups/{group_id}/"), headers=account.headers)).json()


def _by_name(group: dict) -> dict[str, dict]:
    return {p["name"]: p for p in group["properties"]}


async def test_update_keeps_ids_creates_and_deletes(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("keep"), prop("change"), prop("drop")])
    old = _by_name(group)
    properties = [
        {"id": old["keep"]["id"], **prop("keep")},
        {"id": old["change"]["id"], **prop("changed", "Numeric", is_required=True, description="d")},
        prop("new", "Boolean"),
    ]
    response = await _patch(client, account, group["id"], {"properties": properties})
    assert response.status_code == 200
    new = _by_name(response.json())
    assert sorted(new) == ["changed", "keep", "new"]
    assert new["keep"] == old["keep"]
    assert new["changed"]["id"] == old["change"]["id"]
    changed = new["changed"]
    assert (changed["property_type"], changed["is_required"], changed["description"]) == ("Numeric", True, "d")
    assert changed["created_at"] == old["change"]["created_at"]
    assert new["new"]["id"] not in {p["id"] for p in group["properties"]}
    assert await _get(client, account, group["id"]) == response.json()


async def test_swap_two_names_by_id(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("first", "String"), prop("second", "Numeric")])
    old = _by_name(group)
    properties = [
        {"id": old["first"]["id"], **prop("second", "String")},
        {"id": old["second"]["id"], **prop("first", "Numeric")},
    ]
    response = await _patch(client, account, group["id"], {"properties": properties})
    assert response.status_code == 200
    new = _by_name(await _get(client, account, group["id"]))
    assert (new["second"]["id"], new["second"]["property_type"]) == (old["first"]["id"], "String")
    assert (new["first"]["id"], new["first"]["property_type"]) == (old["second"]["id"], "Numeric")


async def test_rename_to_the_name_of_a_deleted_property(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b")])
    old = _by_name(group)
    response = await _patch(client, account, group["id"], {"properties": [{"id": old["a"]["id"], **prop("b")}]})
    assert response.status_code == 200
    assert [(p["id"], p["name"]) for p in response.json()["properties"]] == [(old["a"]["id"], "b")]


async def test_new_property_may_take_a_renamed_name(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    old_id = group["properties"][0]["id"]
    properties = [{"id": old_id, **prop("z")}, prop("a", "Object")]
    response = await _patch(client, account, group["id"], {"properties": properties})
    assert response.status_code == 200
    names = [(p["name"], p["id"] == old_id, p["property_type"]) for p in response.json()["properties"]]
    assert names == [("a", False, "Object"), ("z", True, "String")]


async def test_empty_list_deletes_all(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b")])
    response = await _patch(client, account, group["id"], {"properties": []})
    assert response.status_code == 200
    assert (await _get(client, account, group["id"]))["properties"] == []


async def test_unchanged_property_keeps_updated_at(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b")])
    old = _by_name(group)
    properties = [{"id": old["a"]["id"], **prop("a")}, {"id": old["b"]["id"], **prop("b", description="x")}]
    new = _by_name((await _patch(client, account, group["id"], {"properties": properties})).json())
    assert new["a"]["updated_at"] == old["a"]["updated_at"]
    assert instant(new["b"]["updated_at"]) > instant(old["b"]["updated_at"])


async def test_id_of_another_group_is_refused(client, account: Account) -> None:
    other = await create_group(client, account, "other", [prop("x")])
    group = await create_group(client, account, "g", [prop("a")])
    foreign_id = other["properties"][0]["id"]
    properties = [{"id": group["properties"][0]["id"], **prop("a")}, {"id": foreign_id, **prop("x")}]
    response = await _patch(client, account, group["id"], {"properties": properties})
    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert response.json()["attr"] == "properties__1__id"
    assert await _get(client, account, group["id"]) == group
    assert await _get(client, account, other["id"]) == other


async def test_unknown_id_is_refused(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    response = await _patch(client, account, group["id"], {"properties": [{"id": NO_SUCH_ID, **prop("a")}]})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "code": "does_not_exist",
        "detail": f'Invalid pk "{NO_SUCH_ID}" - object does not exist.',
        "attr": "properties__0__id",
    }
    assert await _get(client, account, group["id"]) == group


async def test_failing_update_changes_nothing(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b")], description="before")
    await client.get(account.url("schema_property_groups/"), headers=account.headers)  # warm the cache
    body = {"name": "renamed", "description": "after", "properties": [prop("a"), prop("c"), prop("a")]}
    response = await _patch(client, account, group["id"], body)
    assert response.status_code == 400
    assert response.json()["detail"] == "A property named 'a' already exists in this group"
    assert await _get(client, account, group["id"]) == group
    listed = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()
    assert listed["results"] == [group]


async def test_failing_rename_with_valid_properties_changes_nothing(client, account: Account) -> None:
    await create_group(client, account, "taken")
    group = await create_group(client, account, "g", [prop("a")])
    body = {"name": "taken", "properties": [prop("new")]}
    response = await _patch(client, account, group["id"], body)
    assert response.status_code == 400
    assert response.json()["attr"] == "name"
    assert await _get(client, account, group["id"]) == group


async def test_put_with_properties_keeps_ids(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    old_id = group["properties"][0]["id"]
    url = account.url(f"schema_property_groups/{group['id']}/")
    body = {"name": "g", "properties": [{"id": old_id, **prop("renamed", "Numeric")}]}
    response = await client.put(url, json=body, headers=account.headers)
    assert response.status_code == 200
    assert [(p["id"], p["name"]) for p in response.json()["properties"]] == [(old_id, "renamed")]


async def test_same_id_twice_is_refused(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    old_id = group["properties"][0]["id"]
    properties = [{"id": old_id, **prop("a")}, {"id": old_id, **prop("b")}]
    response = await _patch(client, account, group["id"], {"properties": properties})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["attr"]) == ("unique", "properties__1__id")
    assert await _get(client, account, group["id"]) == group


async def test_failure_after_the_rename_is_written_rolls_it_back(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b")], description="before")
    await client.get(account.url("schema_property_groups/"), headers=account.headers)  # warm the cache
    properties = [{"id": group["properties"][0]["id"], **prop("renamed")}, {"id": NO_SUCH_ID, **prop("c")}]
    body = {"name": "renamed", "description": "after", "properties": properties}
    response = await _patch(client, account, group["id"], body)
    assert (response.status_code, response.json()["attr"]) == (400, "properties__1__id")
    assert await _get(client, account, group["id"]) == group
    listed = (await client.get(account.url("schema_property_groups/"), headers=account.headers)).json()
    assert listed["results"] == [group]
    assert (await create_group(client, account, "renamed"))["name"] == "renamed"
