"""DELETE event_definitions/:id/, which also removes the event schemas linking groups to it."""

from tests.app.helpers import not_found
from tests.event_definitions.helpers import create_definition
from tests.factories import Account


async def test_delete_returns_204_and_removes_the_definition(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")
    kept = await create_definition(client, account, "kept")
    url = account.url(f"event_definitions/{created['id']}/")

    response = await client.delete(url, headers=account.headers)

    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(url, headers=account.headers)).status_code == 404
    listed = await client.get(account.url("event_definitions/"), headers=account.headers)
    assert listed.json()["results"] == [kept]


async def test_delete_twice_is_404(client, account: Account) -> None:
    created = await create_definition(client, account, "signed up")
    url = account.url(f"event_definitions/{created['id']}/")
    await client.delete(url, headers=account.headers)

    response = await client.delete(url, headers=account.headers)

    assert response.status_code == 404
    assert response.json() == not_found()


async def test_delete_cascades_to_its_event_schemas(client, account: Account) -> None:
    definition = await create_definition(client, account, "signed up")
    other = await create_definition(client, account, "other")
    group = await client.post(
        account.url("schema_property_groups/"),
        json={"name": "user", "properties": [{"name": "plan", "property_type": "String"}]},
        headers=account.headers,
    )
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]
    links = []
    for event in (definition, other):
        link = await client.post(
            account.url("event_schemas/"),
            json={"event_definition": event["id"], "property_group_id": group_id},
            headers=account.headers,
        )
        assert link.status_code == 201, link.text
        links.append(link.json()["id"])

    response = await client.delete(account.url(f"event_definitions/{definition['id']}/"), headers=account.headers)

    assert response.status_code == 204
    schemas = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert [item["id"] for item in schemas.json()["results"]] == [links[1]]
    gone = await client.get(account.url(f"event_schemas/{links[0]}/"), headers=account.headers)
    assert gone.status_code == 404
    remaining = await client.get(account.url(f"schema_property_groups/{group_id}/"), headers=account.headers)
    assert remaining.status_code == 200
    assert remaining.json()["events"] == [{"id": other["id"], "name": "other"}]
