from tests.factories import Account


async def test_list_empty(client, account: Account) -> None:
    response = await client.get(account.url("event_schemas/"), headers=account.headers)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
