"""The generated Python is a drop-in for PostHog's: code using `PosthogTyped` as PostHog's tests do passes mypy
with Python 3.9 as the target against the real posthog package, mistakes fail, and the methods send what they
should through the real client."""

import json
import re
import sys
from pathlib import Path

from eventschema.codegen import python
from eventschema.codegen.plan import TrackingPlan, build_plan
from tests.codegen import fixture, toolchains

# PostHog's own plan for its Python test.
POSTHOG_PLAN = fixture.posthog_plan("$pageview", "$autocapture")

PRELUDE = """\
from datetime import datetime

from posthog_typed import PosthogTyped

client = PosthogTyped("fake_key", host="http://localhost")
"""

# Written the way PostHog's tests use its generated file.
POSTHOG_GOOD = """\
client.capture_file_downloaded(
    file_name="document.pdf",
    file_size=1024.0,
    downloaded_at=datetime.now(),
    file_extension="pdf",
    distinct_id="user_123",
)
client.capture_user_signed_up(email="user@example.com", plan="free", distinct_id="user_456")
client.capture_file_downloaded(file_name="document.pdf", file_size=1024, downloaded_at=datetime.now())
client.capture_file_downloaded(
    file_name="document.pdf",
    file_size=1024.0,
    downloaded_at=datetime.now(),
    extra_properties={"custom_field": "custom_value", "another": 123},
    distinct_id="user_123",
    timestamp=datetime.now(),
)
client.capture_user_event_with_quotes(prop_with_quotes="value")
client.capture_pageview(extra_properties={"$current_url": "/"}, distinct_id="u")
client.flush()
uuid: "str | None" = client.capture_user_signed_up(email="e", plan="p")
"""

# Each file holds exactly one mistake that mypy must report (with PostHog's tests' error texts).
POSTHOG_BAD = {
    "missing_required": (
        'client.capture_file_downloaded(file_name="d", downloaded_at=datetime.now(), distinct_id="u")',
        'Missing named argument "file_size"',
    ),
    "wrong_type": (
        'client.capture_file_downloaded(file_name="d", file_size="big", downloaded_at=datetime.now())',
        'Argument "file_size" to "capture_file_downloaded"',
    ),
    "string_for_datetime": (
        'client.capture_file_downloaded(file_name="d", file_size=1, downloaded_at="2024-05-01")',
        'Argument "downloaded_at"',
    ),
    "unknown_property": (
        'client.capture_user_signed_up(email="e", plan="p", seats=2)',
        'Unexpected keyword argument "seats"',
    ),
    "not_generated": ('client.capture_autocapture(distinct_id="u")', "capture_autocapture"),
}

FIXTURE_GOOD = """\
client.capture_purchase(amount=12.5, details={"sku": "a"}, shared=True, extra_properties={"$set": {"p": 1}})
client.capture_purchase(amount=1, details={}, currency="EUR", placed_at=datetime.now(), shared=3, class_="c")
client.capture_page_viewed(
    current_url="https://example.com",
    has_spaces=2,
    caf=datetime(2024, 5, 1),
    new_line="n",
    quote_d="q",
    back_slash="b",
    value={"a": 1},
    prop_123x=True,
    tick=1.5,
    end_comment="e",
)
client.capture_func(extra_properties={"anything": [1, 2]})
client.capture_type()
client.capture_class(flag=False)
client.capture_script()
client.capture_sign_up()
client.capture_sign_up_2(amount=1, details={}, shared=2)
client.capture_event()
client.capture_event_123_go()
"""
FIXTURE_BAD = {
    "string_for_union": ('client.capture_purchase(amount=1, details={}, shared="yes")', 'Argument "shared"'),
    "string_for_object": ('client.capture_purchase(amount=1, details="x", shared=1)', 'Argument "details"'),
}


def _check(directory: Path, plan: TrackingPlan, good: str, bad: dict[str, tuple[str, str]]) -> None:
    (directory / "posthog_typed.py").write_text(python.generate(plan), encoding="utf-8")
    (directory / "good.py").write_text(PRELUDE + good, encoding="utf-8")
    for name, (call, _) in bad.items():
        (directory / f"bad_{name}.py").write_text(f"{PRELUDE}{call}\n", encoding="utf-8")
    files = ["posthog_typed.py", "good.py", *(f"bad_{name}.py" for name in bad)]
    result = toolchains.run([*toolchains.mypy("3.9"), *files], directory)
    failing = {Path(path).name for path in re.findall(r"^(.+?\.py):\d+: error", result.output, re.MULTILINE)}
    assert failing == {f"bad_{name}.py" for name in bad}, result.output
    line = PRELUDE.count("\n") + 1
    for name, (_, message) in bad.items():
        errors = re.findall(rf"bad_{name}\.py:(\d+): error: (.*)", result.output)
        assert {int(n) for n, _ in errors} == {line}, result.output
        assert any(message in text for _, text in errors), result.output


def test_code_written_for_posthogs_file_passes_mypy_and_mistakes_do_not(tmp_path: Path) -> None:
    _check(tmp_path, POSTHOG_PLAN, POSTHOG_GOOD, POSTHOG_BAD)


def test_awkward_names_pass_mypy(tmp_path: Path) -> None:
    _check(tmp_path, fixture.plan(), FIXTURE_GOOD, FIXTURE_BAD)


def test_empty_plan_passes_mypy(tmp_path: Path) -> None:
    _check(tmp_path, build_plan([], [], {}), 'client.capture("anything", distinct_id="u")\n', {})


RUN = """\
import json
from datetime import datetime

from posthog_typed import PosthogTyped

sent = []


def keep(message):
    sent.append([message["event"], message["distinct_id"], message["properties"]])
    return None  # dropped: nothing leaves the process


client = PosthogTyped("fake_key", host="http://127.0.0.1:9", send=False, before_send=keep)
client.capture_file_downloaded(
    file_name="a.pdf", file_size=2, downloaded_at=datetime(2024, 5, 1), distinct_id="u1",
    extra_properties={"custom": 1},
)
client.capture_file_downloaded(file_name="b", file_size=3, downloaded_at=datetime(2024, 5, 2), file_extension="pdf")
client.capture_user_event_with_quotes(prop_with_quotes="v", distinct_id="u2")
client.capture_pageview(distinct_id="u3")
print(json.dumps(sent, default=str))
"""


def test_methods_send_the_declared_property_names_through_the_real_client(tmp_path: Path) -> None:
    (tmp_path / "posthog_typed.py").write_text(python.generate(POSTHOG_PLAN), encoding="utf-8")
    (tmp_path / "run.py").write_text(RUN, encoding="utf-8")
    result = toolchains.run([sys.executable, "run.py"], tmp_path)
    assert result.returncode == 0, result.output
    sent = json.loads(result.output.strip().splitlines()[-1])
    assert [event for event, _, _ in sent] == [
        "file_downloaded",
        "file_downloaded",
        "user'event\"with\\quotes",
        "$pageview",
    ]
    first, second, quoted, pageview = (properties for _, _, properties in sent)
    assert sent[0][1] == "u1"
    assert {k: first[k] for k in ("file_name", "file_size", "custom")} == {
        "file_name": "a.pdf",
        "file_size": 2,
        "custom": 1,
    }
    assert "file_extension" not in first
    assert second["file_extension"] == "pdf"
    assert quoted["prop'with\"quotes"] == "v"
    assert not {k for k in pageview if not k.startswith("$")}


def test_method_and_argument_names_follow_posthogs_rules() -> None:
    assert python.method_name("API-Request") == "capture_api_request"
    assert python.method_name("$pageview") == "capture_pageview"
    assert python.method_name("123 go") == "capture_event_123_go"
    assert python.method_name("") == "capture_event"
    assert python.argument_name("user-id_name") == "user_id_name"
    assert python.argument_name("123test") == "prop_123test"
    assert python.argument_name("class") == "class_"
    assert python.argument_name("@#$%") == "value"
    assert python.argument_name("distinct_id") == "distinct_id_"
    assert python.argument_name("FileSize") == "FileSize"
