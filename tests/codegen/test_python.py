"""The generated Python is a drop-in for PostHog's: code using `PosthogTyped` as PostHog's tests do passes mypy
with Python 3.9 as the target against the real posthog package, mistakes fail, and the methods send what they
should through the real client."""

import json
import re
import sys
from pathlib import Path

import pytest

from eventschema.codegen import python
from eventschema.codegen.plan import Declaration, TrackingPlan, build_plan, make_group
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


@pytest.mark.slow
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


# The plan using every rule (see fixture.RULES_GROUPS): "checkout" merges two groups declaring "plan" and "cart".
RULES_GOOD = """\
client.capture_checkout(
    cart={"sku": "SKU-1", "quantity": 2, "kind": "digital", "meta": {"source": "web"}, "gift": True},
    email="a@example.com",
    payload=[1, {"a": 2}],
    plan="enterprise",
    ratio=0.5,
    flag=True,
    lines=[{"sku": "x", "price": 2.5}, {"sku": "y"}],
    tags=["a", "b"],
    seats=5,
    ratio_2=0.5,
    scores=[1, "x", None],
    when=datetime.now(),
    not_test="ok",
    distinct_id="user_1",
    timestamp=datetime.now(),
    groups={"company": "acme"},
    disable_geoip=True,
)
client.capture_checkout(cart={"sku": "S"}, email="e", payload=None, plan="pro", ratio=1)
client.capture_checkout_cart(cart={"sku": "S", "quantity": 1}, email="e", payload="x", plan="free", ratio=0, flag="x")
"""
CART = 'email="e", payload=1, plan="free", ratio=0'
RULES_BAD = {
    "enum_value_of_another_event": (
        f'client.capture_checkout_cart(cart={{"sku": "S", "quantity": 1}}, {CART.replace("free", "enterprise")})',
        'Argument "plan" to "capture_checkout_cart" of "PosthogTyped" has incompatible type',
    ),
    "numeric_enum": (
        f'client.capture_checkout_cart(cart={{"sku": "S", "quantity": 1}}, {CART}, seats=3)',
        'Argument "seats"',
    ),
    "wrong_nested_type": (
        f'client.capture_checkout_cart(cart={{"sku": 5, "quantity": 1}}, {CART})',
        'TypedDict item "sku" has type "str"',
    ),
    "missing_nested_required": (
        f'client.capture_checkout_cart(cart={{"sku": "S"}}, {CART})',
        'Missing key "quantity"',
    ),
    "nested_enum": (
        f'client.capture_checkout(cart={{"sku": "S", "kind": "other"}}, {CART})',
        'TypedDict item "kind"',
    ),
    "undeclared_nested_key": (f'client.capture_checkout(cart={{"sku": "S", "x": 1}}, {CART})', 'Extra key "x"'),
    "wrong_item": (f'client.capture_checkout(cart={{"sku": "S"}}, {CART}, tags=["c"])', "List item 0"),
    "string_for_array": (f'client.capture_checkout(cart={{"sku": "S"}}, {CART}, scores="1")', 'Argument "scores"'),
    "unknown_event": (f'client.capture_checkout_carts(cart={{"sku": "S"}}, {CART})', "capture_checkout_carts"),
}


def test_rules_become_literals_typed_dicts_and_typed_lists(tmp_path: Path) -> None:
    _check(tmp_path, fixture.rules_plan(), RULES_GOOD, RULES_BAD)


def test_rules_the_types_cannot_show_are_in_the_docstring_and_comments() -> None:
    content = python.generate(fixture.rules_plan())
    assert "        ratio: minimum: 0, exclusiveMaximum: 1\n" in content
    assert "        ratio_2: enum: [0.5, 1]\n" in content  # no float literals in Python's Literal
    assert '        "quantity": float,  # minimum: 1\n' in content
    assert "        payload: object,\n" in content
    assert '        plan: Literal["free", "pro", "enterprise"],\n' in content


def _many_events(count: int) -> TrackingPlan:
    group = make_group("g", [Declaration("plan", "String", True, False, {"enum": ["free", "pro"]})])
    names = [f"event {number}" for number in range(count)]
    return build_plan(names, [group], {name: ["g"] for name in names})


def test_mypys_error_for_a_wrong_event_or_value_is_one_line_whatever_the_plans_size(tmp_path: Path) -> None:
    bad = {
        "unknown_event": ('client.capture_event_1000(plan="free")', '"PosthogTyped" has no attribute'),
        "wrong_value": ('client.capture_event_7(plan="gold")', 'Argument "plan"'),
        "wrong_type": ("client.capture_event_7(plan=1)", 'Argument "plan"'),
    }
    _check(tmp_path, _many_events(300), 'client.capture_event_299(plan="pro", distinct_id="u")\n', bad)
    result = toolchains.run([*toolchains.mypy("3.9"), *(f"bad_{name}.py" for name in bad)], tmp_path)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == len(bad), result.output


RUN_RULES = """\
import json
import uuid
from datetime import datetime, timezone

from posthog_typed import PosthogTyped

sent = []


def keep(message):
    sent.append(message)
    return None  # dropped: nothing leaves the process


client = PosthogTyped("fake_key", host="http://127.0.0.1:9", send=False, before_send=keep)
client.capture_checkout_cart(
    cart={"sku": "S", "quantity": 1, "meta": {"source": "web"}},
    email="e",
    payload={"any": [1]},
    plan="free",
    ratio=0,
    tags=["a"],
    distinct_id="user_9",
    timestamp=datetime(2024, 5, 1, tzinfo=timezone.utc),
    uuid="0b9e4b5e-7c1d-4e5f-9a3b-2c6d8e0f1a2b",
    groups={"company": "acme"},
)
print(json.dumps(sent, default=str))
"""


def test_distinct_id_and_the_sdks_other_arguments_reach_the_real_client(tmp_path: Path) -> None:
    (tmp_path / "posthog_typed.py").write_text(python.generate(fixture.rules_plan()), encoding="utf-8")
    (tmp_path / "run.py").write_text(RUN_RULES, encoding="utf-8")
    result = toolchains.run([sys.executable, "run.py"], tmp_path)
    assert result.returncode == 0, result.output
    [message] = json.loads(result.output.strip().splitlines()[-1])
    assert message["event"] == "checkout cart"
    assert message["distinct_id"] == "user_9"
    assert message["uuid"] == "0b9e4b5e-7c1d-4e5f-9a3b-2c6d8e0f1a2b"
    assert message["timestamp"].startswith("2024-05-01")
    properties = message["properties"]
    assert properties["$groups"] == {"company": "acme"}
    assert {k: properties[k] for k in ("cart", "email", "payload", "plan", "ratio", "tags")} == {
        "cart": {"sku": "S", "quantity": 1, "meta": {"source": "web"}},
        "email": "e",
        "payload": {"any": [1]},
        "plan": "free",
        "ratio": 0,
        "tags": ["a"],
    }
