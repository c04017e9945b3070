"""An update of an unknown object is a 404 whatever its body says; PostHog looks the object up first."""

import pytest

from tests.event_schemas.api import NO_SUCH_ID, create_definition, create_group, linked_pair
from tests.factories import Account

RESOURCES = ["event_definitions", "schema_property_groups", "event_schemas"]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
async def test_an_invalid_body_for_an_unknown_id_is_a_404(client, account: Account, resource: str, method: str) -> None:
    response = await client.request(
        method,
        account.url(f"{resource}/{NO_SUCH_ID}/"),
        json={"name": None, "event_definition": "x"},
        headers=account.headers,
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_an_invalid_body_for_an_existing_object_is_still_a_400(client, account: Account) -> None:
    definition = await create_definition(client, account, "signed up")
    group = await create_group(client, account, "account")
    link = await linked_pair(client, account, suffix=" (linked)")

    for path, body in (
        (f"event_definitions/{definition['id']}/", {"name": None}),
        (f"schema_property_groups/{group['id']}/", {"name": ""}),
        (f"event_schemas/{link['id']}/", {"event_definition": "x"}),
    ):
        response = await client.patch(account.url(path), json=body, headers=account.headers)
        assert response.status_code == 400, path
        assert response.json()["type"] == "validation_error", path
