"""Applies that race each other run one after another, each against what the previous one left."""

import asyncio
import copy

from tests.factories import Account
from tests.plan.helpers import PLAN, apply, export


async def test_two_concurrent_applies_of_different_plans(client, account: Account) -> None:
    other = copy.deepcopy(PLAN)
    country = {"property_type": "String", "is_required": True, "is_optional_in_types": False, "description": ""}
    properties = other["property_groups"]["account"]["properties"]
    other["property_groups"]["account"]["properties"] = {"country": country, **properties}  # as exported: by name
    first, second = await asyncio.gather(apply(client, account, PLAN), apply(client, account, other))
    assert (first.status_code, second.status_code) == (200, 200)
    by_version = {first.json()["version"]: PLAN, second.json()["version"]: other}
    assert sorted(by_version) == [1, 2]
    # The later one wins, and each version is the plan that made it.
    assert (await export(client, account)).json() == by_version[2]
    for version, plan in by_version.items():
        assert (await export(client, account, at=str(version))).json() == plan


async def test_two_concurrent_applies_of_one_plan(client, account: Account) -> None:
    first, second = await asyncio.gather(apply(client, account, PLAN), apply(client, account, PLAN))
    answers = sorted((len(r.json()["changes"]), r.json()["version"]) for r in (first, second))
    assert answers[0] == (0, 1) and answers[1][1] == 1 and answers[1][0] > 0
    versions = (await client.get(account.url("plan/versions/"), headers=account.headers)).json()
    assert versions["count"] == 1
    assert (await export(client, account)).json() == PLAN
