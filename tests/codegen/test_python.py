"""The generated Python passes `mypy --strict` and runs; wrong uses of it fail mypy."""

import re
import sys
from pathlib import Path

from eventschema.codegen import python
from eventschema.codegen.plan import TrackingPlan, build_plan, make_group
from tests.codegen import fixture, toolchains

PRELUDE = """\
from typing import Any

from posthog_typed import capture


class Client:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def capture(self, event: str, /, *, properties: dict[str, Any]) -> object:
        self.sent.append((event, properties))
        return None


client = Client()
"""

GOOD = """\
import datetime
import json

from posthog_typed import EventName, PurchaseProperties

capture(client, "purchase", {"amount": 12.5, "details": {"sku": "a"}, "shared": True}, extra={"$set": {"p": 1}})
capture(client, "purchase", {"amount": 1, "details": {}, "currency": "EUR", "placed_at": "2024-05-01", "shared": 3})
capture(
    client,
    "page viewed",
    {
        "$current_url": "https://example.com",
        "has spaces": 2,
        "café": datetime.datetime(2024, 5, 1),
        "new\\nline": "n",
        'quote"d': "q",
        "back\\\\slash": "b",
        "名前": {"a": 1},
        "123x": True,
        "`tick`": 1.5,
    },
)
capture(client, "func")
capture(client, "func", {"anything": [1, 2]})
capture(client, "type")
capture(client, "class", {"flag": False})
capture(client, "</script>\\u2028*/")
capture(client, "sign-up", {"amount": 1, "details": {}, "shared": 2})
name: EventName = "名前"
props: PurchaseProperties = {"amount": 1, "details": {}, "shared": False}
print(json.dumps(client.sent, default=str))
"""

# Each file holds exactly one mistake that mypy must report.
BAD = {
    "number_for_string": 'capture(client, "$pageview", {"$current_url": 42, "has spaces": 1, "café": "2024-05-01"})',
    "string_for_number": 'capture(client, "$pageview", {"$current_url": "/", "has spaces": "1", "café": "2024"})',
    "missing_required": 'capture(client, "$pageview", {"$current_url": "/", "café": "2024-05-01"})',
    "unknown_key": 'capture(client, "class", {"flag": True, "undeclared": 1})',
    "unknown_event": 'capture(client, "not in the plan", {})',
    "properties_omitted": 'capture(client, "purchase")',
    "string_for_union": 'capture(client, "purchase", {"amount": 1, "details": {}, "shared": "yes"})',
}


def _check(directory: Path, plan: TrackingPlan, good: str, bad: dict[str, str]) -> toolchains.Result:
    (directory / "posthog_typed.py").write_text(python.generate(plan), encoding="utf-8")
    (directory / "good.py").write_text(PRELUDE + good, encoding="utf-8")
    for name, call in bad.items():
        (directory / f"bad_{name}.py").write_text(f"{PRELUDE}{call}\n", encoding="utf-8")
    files = ["posthog_typed.py", "good.py", *(f"bad_{name}.py" for name in bad)]
    result = toolchains.run([*toolchains.mypy(), *files], directory)
    failing = {Path(path).name for path in re.findall(r"^(.+?\.py):\d+: error", result.output, re.MULTILINE)}
    assert failing == {f"bad_{name}.py" for name in bad}, result.output
    line = PRELUDE.count("\n") + 1
    for name in bad:
        assert re.search(rf"bad_{name}\.py:{line}: error", result.output), result.output
    return result


def test_generated_python_passes_mypy_strict_and_rejects_wrong_properties(tmp_path: Path) -> None:
    _check(tmp_path, fixture.plan(), GOOD, BAD)


def test_generated_python_runs_and_sends_every_property(tmp_path: Path) -> None:
    (tmp_path / "posthog_typed.py").write_text(python.generate(fixture.plan()), encoding="utf-8")
    (tmp_path / "good.py").write_text(PRELUDE + GOOD, encoding="utf-8")
    result = toolchains.run([sys.executable, "good.py"], tmp_path)
    assert result.returncode == 0, result.output
    assert '["purchase", {"$set": {"p": 1}, "amount": 12.5, "details": {"sku": "a"}, "shared": true}]' in result.output
    assert '"new\\nline": "n", "quote\\"d": "q", "back\\\\slash": "b", "\\u540d\\u524d": {"a": 1}' in result.output
    assert '["func", {}]' in result.output


def test_plans_with_one_event_and_with_none_pass_mypy_strict(tmp_path: Path) -> None:
    one = build_plan(["only"], [make_group("g", [])], {"only": ["g"]})
    (tmp_path / "one").mkdir()
    _check(tmp_path / "one", one, 'capture(client, "only")\ncapture(client, "only", {})\n', {})
    (tmp_path / "none").mkdir()
    _check(tmp_path / "none", build_plan([], [], {}), "", {"any_event": 'capture(client, "x")'})
