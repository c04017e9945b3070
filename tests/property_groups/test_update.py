"""PATCH and PUT schema_property_groups/:id/ on the group's own fields."""

from tests.event_schemas.api import create_group, instant, prop
from tests.factories import Account


async def _patch(client, account: Account, group_id: str, body: dict):
    return await client.patch(account.url(f"schema_property_groups/{group_id}/"), json=body, headers=account.headers)


async def test_patch_name_and_description(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")], description="old")
    response = await _patch(client, account, group["id"], {"name": " renamed ", "description": "new"})
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["description"]) == (group["id"], "renamed", "new")
    assert body["properties"] == group["properties"]
    assert (body["created_at"], body["created_by"]) == (group["created_at"], group["created_by"])
    assert instant(body["updated_at"]) > instant(group["updated_at"])


async def test_patch_description_to_blank(client, account: Account) -> None:
    group = await create_group(client, account, "g", description="old")
    response = await _patch(client, account, group["id"], {"description": ""})
    assert response.status_code == 200
    assert response.json()["description"] == ""


async def test_patch_keeping_its_own_name(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    response = await _patch(client, account, group["id"], {"name": "g"})
    assert response.status_code == 200
    assert response.json()["name"] == "g"


async def test_patch_without_properties_leaves_them(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a"), prop("b", "Numeric", is_required=True)])
    response = await _patch(client, account, group["id"], {"description": "d"})
    assert response.json()["properties"] == group["properties"]


async def test_patch_is_persisted(client, account: Account) -> None:
    group = await create_group(client, account, "g")
    patched = (await _patch(client, account, group["id"], {"name": "h"})).json()
    fetched = await client.get(account.url(f"schema_property_groups/{group['id']}/"), headers=account.headers)
    assert fetched.json() == patched


async def test_put_replaces_fields_and_properties(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")], description="old")
    url = account.url(f"schema_property_groups/{group['id']}/")
    body = {"name": "h", "description": "new", "properties": [prop("b", "Boolean")]}
    response = await client.put(url, json=body, headers=account.headers)
    assert response.status_code == 200
    result = response.json()
    assert (result["name"], result["description"]) == ("h", "new")
    assert [(p["name"], p["property_type"]) for p in result["properties"]] == [("b", "Boolean")]
    assert (await client.get(url, headers=account.headers)).json() == result


async def test_patch_form_encoded(client, account: Account) -> None:
    group = await create_group(client, account, "g", [prop("a")])
    url = account.url(f"schema_property_groups/{group['id']}/")
    response = await client.patch(url, data={"description": "from form"}, headers=account.headers)
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["properties"]) == ("from form", group["properties"])
