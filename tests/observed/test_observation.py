"""What the gateway learns from the events it accepts or quarantines: types, counts, examples, plan status."""

from fastapi import FastAPI

from tests.enforcement.helpers import define, event
from tests.factories import Account
from tests.observed.helpers import by_name, observed, send


async def test_types_counts_and_examples_of_each_property(app: FastAPI, client, account: Account) -> None:
    await send(
        app,
        client,
        account,
        [
            event("clicked", button="buy", price=3, ratio=0.5, at="2026-11-30T10:00:00Z", meta={"a": 1}, tags=[1]),
            event("clicked", button="sell", price="4", flag="true", **{"$lib": "web"}),
            event("clicked", button=None, price=5.5),
        ],
    )

    props = by_name(await observed(client, account, "clicked"))
    assert sorted(props) == ["at", "button", "flag", "meta", "price", "ratio", "tags"]
    price = props["price"]
    assert price["types"] == {"string": 1, "number": 2, "boolean": 0, "object": 0, "array": 0, "null": 0}
    assert price["string_looks"] == {"numeric": 1, "boolean": 0, "datetime": 0}
    assert (price["events"], price["presence"], price["status"]) == (3, 1.0, "unplanned")
    assert props["button"]["types"]["null"] == 1
    assert props["button"]["example"] in ("buy", "sell")
    assert props["flag"]["string_looks"]["boolean"] == 1
    assert props["at"]["string_looks"]["datetime"] == 1
    assert props["meta"]["types"]["object"] == 1 and props["meta"]["example"] is None
    assert props["tags"]["types"]["array"] == 1
    assert props["ratio"]["presence"] == 0.3333

    sdk = by_name(await observed(client, account, "clicked", sdk="true"))
    assert list(sdk) == ["$lib"]
    assert sdk["$lib"]["is_sdk"] is True and sdk["$lib"]["example"] == "web"


async def test_counts_add_up_over_flushes_and_examples_are_cut(app: FastAPI, client, account: Account) -> None:
    long = "x" * 300
    await send(app, client, account, [event("viewed", path="/a")] * 3)
    await send(app, client, account, [event("viewed", path=long), event("viewed")])

    (path,) = await observed(client, account, "viewed")
    assert (path["events"], path["types"]["string"], path["presence"]) == (4, 4, 0.8)
    assert path["example"] == "x" * 200


async def test_plan_status_planned_type_drift_and_missing(app: FastAPI, client, account: Account) -> None:
    await define(client, account, mode="allow")  # plan (String, required), seats (Numeric, required), ...
    await send(
        app,
        client,
        account,
        [
            event(plan="pro", seats=3, trial=True),
            event(plan="pro", seats="many"),
            event(seats=2, extra=1),
            event(plan="team", seats="4"),
        ],
    )

    props = by_name(await observed(client, account, "signed up"))
    assert props["seats"]["status"] == "type_drift"
    assert props["seats"]["drift_share"] == 0.25
    assert props["seats"]["declared_types"] == ["Numeric"]
    assert props["plan"]["status"] == "missing"
    assert props["plan"]["missing_share"] == 0.25
    assert props["trial"]["status"] == "planned"
    assert props["extra"]["status"] == "unplanned"


async def test_quarantined_events_are_observed_too(app: FastAPI, client, account: Account) -> None:
    await define(client, account, mode="reject")
    await send(app, client, account, [event(plan="pro"), event(plan="pro", seats=1)])

    props = by_name(await observed(client, account, "signed up"))
    assert props["plan"]["events"] == 2
    assert props["seats"]["events"] == 1


async def test_marked_events_are_observed_without_the_gateways_verdict(app: FastAPI, client, account: Account) -> None:
    await define(client, account, mode="warn")
    await send(app, client, account, [event(plan="pro")])

    assert await observed(client, account, "signed up", sdk="true") == []
