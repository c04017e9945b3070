"""The README's "Your tracking plan in git": the exported file and the lines shown are what the server gives."""

import re
from pathlib import Path

import yaml

from eventschema.plan.diff import describe
from tests.factories import Account
from tests.plan.helpers import export, post

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text()
    start = text.index("\n## Your tracking plan in git\n")
    return text[start : text.index("\n## ", start + 1)]


async def test_the_worked_example(client, account: Account) -> None:
    section = _section()
    signed_up = await post(client, account, "event_definitions/", {"name": "signed_up"})
    await post(client, account, "event_definitions/", {"name": "logged_in"})
    properties = [
        {"name": "plan", "property_type": "String", "is_required": True},
        {"name": "seats", "property_type": "Numeric"},
    ]
    group = await post(client, account, "schema_property_groups/", {"name": "account", "properties": properties})
    link = {"event_definition": signed_up["id"], "property_group_id": group["id"]}
    await post(client, account, "event_schemas/", link)

    exported = re.search(r"```yaml\n(version: 1\n.*?)```", section, re.DOTALL)
    assert exported is not None
    assert (await export(client, account, format="yaml")).text == exported.group(1)

    edited = yaml.safe_load(exported.group(1))
    edited["property_groups"]["account"]["properties"]["seats"].update(is_required=True, description="Paid seats")
    response = await client.post(account.url("plan/diff/"), json={"plan": edited}, headers=account.headers)
    lines = [describe(change) for change in response.json()["changes"]]
    shown = re.search(r"plan diff tracking-plan.yaml --host \$HOST\n((?:# .*\n)+)", section)
    assert shown is not None
    assert [line[2:] for line in shown.group(1).splitlines()] == lines
    assert f"# {lines[0]}\necho $?   # 1" in section  # check names the tightening change only
