"""POST schema_property_groups/: the created group's exact shape."""

from sqlalchemy import update

from eventschema.models import User
from tests.event_schemas.api import GROUP_KEYS, PROPERTY_KEYS, USER_BASIC_KEYS, prop
from tests.factories import Account


async def _create(client, account: Account, body: dict):
    return await client.post(account.url("schema_property_groups/"), json=body, headers=account.headers)


async def test_create_returns_201_with_the_full_shape(client, account: Account) -> None:
    properties = [
        prop("plan", is_required=True),
        prop("amount", "Numeric", description="cents"),
        prop("at", "DateTime"),
    ]
    response = await _create(client, account, {"name": "billing", "description": "Billing", "properties": properties})
    assert response.status_code == 201
    group = response.json()
    assert list(group) == GROUP_KEYS
    assert (group["name"], group["description"], group["events"]) == ("billing", "Billing", [])
    assert [p["name"] for p in group["properties"]] == ["amount", "at", "plan"]
    assert all(list(p) == PROPERTY_KEYS for p in group["properties"])
    assert group["created_at"].endswith("Z") and group["updated_at"].endswith("Z")
    assert all(p["created_at"].endswith("Z") and p["updated_at"].endswith("Z") for p in group["properties"])


async def test_property_fields_and_defaults(client, account: Account) -> None:
    properties = [prop("plan", "Boolean", is_required=True, is_optional_in_types=True, description="d"), prop("x")]
    group = (await _create(client, account, {"name": "g", "properties": properties})).json()
    plan, x = group["properties"]
    assert {k: plan[k] for k in PROPERTY_KEYS[1:6]} == {
        "name": "plan",
        "property_type": "Boolean",
        "is_required": True,
        "is_optional_in_types": True,
        "description": "d",
    }
    assert (x["property_type"], x["is_required"], x["is_optional_in_types"], x["description"]) == (
        "String",
        False,
        False,
        "",
    )
    assert plan["id"] != x["id"]


async def test_created_by_is_the_key_owner(client, account: Account) -> None:
    group = (await _create(client, account, {"name": "g"})).json()
    creator = group["created_by"]
    assert list(creator) == USER_BASIC_KEYS
    assert (creator["id"], creator["email"], creator["hedgehog_config"]) == (account.user_id, account.email, None)
    assert isinstance(creator["uuid"], str) and len(creator["uuid"]) == 36


async def test_minimal_body_defaults(client, account: Account) -> None:
    response = await _create(client, account, {"name": "  padded  "})
    assert response.status_code == 201
    group = response.json()
    assert (group["name"], group["description"], group["properties"], group["events"]) == ("padded", "", [], [])


async def test_unusual_property_names_are_allowed_and_stripped(client, account: Account) -> None:
    names = ["$current_url", "has spaces", "123x", "  padded ", "x" * 200]
    group = (await _create(client, account, {"name": "g", "properties": [prop(n) for n in names]})).json()
    assert [p["name"] for p in group["properties"]] == sorted(
        ["$current_url", "has spaces", "123x", "padded", "x" * 200]
    )


async def test_create_matches_retrieve(client, account: Account) -> None:
    created = (await _create(client, account, {"name": "g", "properties": [prop("b"), prop("a")]})).json()
    response = await client.get(account.url(f"schema_property_groups/{created['id']}/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == created


async def test_create_accepts_form_encoded_body(client, account: Account) -> None:
    data = {"name": "from form", "description": "d"}
    response = await client.post(account.url("schema_property_groups/"), data=data, headers=account.headers)
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["properties"]) == ("from form", [])


async def test_created_by_shows_only_the_public_hedgehog(client, db, account: Account) -> None:
    config = {"use_as_profile": True, "color": "blue", "accessories": ["hat"], "walking_enabled": True}
    async with db.session(write=True) as session:
        await session.execute(update(User).where(User.id == account.user_id).values(hedgehog_config=config))
        await session.commit()
    created = (await _create(client, account, {"name": "g"})).json()
    public = {"use_as_profile": True, "color": "blue", "accessories": ["hat"]}
    assert created["created_by"]["hedgehog_config"] == public
    listed = await client.get(account.url("schema_property_groups/"), headers=account.headers)
    assert listed.json()["results"] == [created]
