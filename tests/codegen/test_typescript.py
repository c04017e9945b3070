"""The generated TypeScript is a drop-in for PostHog's: code using it as PostHog's tests do compiles under
`tsc --strict` against the real posthog-js package, and wrong uses of it do not."""

import json
import re
from pathlib import Path

from eventschema.codegen import typescript
from eventschema.codegen.plan import Declaration, build_plan, make_group
from tests.codegen import fixture, toolchains

FLAGS = [
    "--strict",
    "--noEmit",
    "--target",
    "es2020",
    "--module",
    "esnext",
    "--moduleResolution",
    "node",
    "--lib",
    "es2020,dom",
    "--esModuleInterop",
    "--skipLibCheck",
    "--exactOptionalPropertyTypes",
    "--noUnusedLocals",
]

# PostHog's own plan for its TypeScript test: one event with a required and an optional property, one whose
# properties are all optional, one without a schema.
POSTHOG_PLAN = build_plan(
    ["test_event", "optional_event", "untyped_event"],
    [
        make_group(
            "Test Properties",
            [
                Declaration("required_field", "Numeric", True, False),
                Declaration("optional_field", "String", False, False),
            ],
        ),
        make_group("Optional Properties", [Declaration("optional_only", "String", False, False)]),
    ],
    {"test_event": ["Test Properties"], "optional_event": ["Optional Properties"]},
)

IMPORT = 'import posthog from "./posthog-typed";\n'

# Written the way PostHog's generated file is used: default import, capture for planned and unplanned events,
# the exported EventName type, captureRaw for anything, and the rest of the posthog-js API.
POSTHOG_USAGE = """\
import posthog, { EventName, EventProperties, EventSchemas, TypedPostHog } from "./posthog-typed";

posthog.capture("test_event", {
  required_field: 123,
  optional_field: "test",
  extra_property: "this should be allowed",
  another_extra: true,
  nested_extra: { foo: "bar" },
});
posthog.capture("test_event", { required_field: 456 });
posthog.capture("test_event", { required_field: 1 }, { send_instantly: true });
posthog.capture("optional_event");
posthog.capture("optional_event", { optional_only: "value", extra_field: 123 });
posthog.capture("untyped_event", { anything: "goes", here: 123 });
posthog.capture("untyped_event");
posthog.capture("custom_undefined_event", { any: "properties", work: "here" });
posthog.capture("another_custom_event");
const typedVar: EventName = "test_event";
posthog.capture(typedVar, { required_field: 789 });
const constVar = "test_event";
posthog.capture(constVar, { required_field: 999 });
const stringVar: string = "test_event";
posthog.captureRaw("test_event", { optional_field: "test" });
posthog.captureRaw("test_event", { required_field: "string is fine here" });
posthog.captureRaw(stringVar, { any: "data" });
posthog.identify("user_1", { email: "a@example.com" });
const id: string = posthog.get_distinct_id();
const props: EventProperties<"test_event"> = { required_field: 1, more: [1] };
const schema: EventSchemas["optional_event"] = {};
const client: TypedPostHog = posthog;
export { id, props, schema, client };
"""

# Each file holds exactly one mistake that tsc must report, on the line after the import.
POSTHOG_BAD = {
    "missing_required": 'posthog.capture("test_event", { optional_field: "test" });',
    "wrong_type": 'posthog.capture("test_event", { required_field: "string not allowed" });',
    "properties_omitted": 'posthog.capture("test_event");',
    "broad_string": 'const name: string = "test_event";\nposthog.capture(name);',
    "wrong_optional_type": 'posthog.capture("optional_event", { optional_only: 5 });',
}

PAGE_VIEWED = (
    '"$current_url": "https://example.com", "has spaces": 2, "café": new Date(), "new\\nline": "n", '
    '"quote\\"d": "q", "back\\\\slash": "b", "名前": { a: 1 }, "123x": true, "`tick`": 1, "*/ end comment": "c"'
)

# The awkward fixture plan: names needing escapes, unions, system events, events without schemas.
FIXTURE_USAGE = f"""\
posthog.capture("purchase", {{ amount: 12.5, details: {{ sku: "a" }}, shared: true, "$set": {{ plan: "pro" }} }});
posthog.capture("purchase", {{ amount: 1, details: {{}}, currency: "EUR", placed_at: "2024-05-01", shared: 3 }});
posthog.capture("page viewed", {{ {PAGE_VIEWED} }});
posthog.capture("$pageview", {{ "$current_url": "/", "has spaces": 1, "café": "2024-05-01T00:00:00Z" }});
posthog.capture("func", {{ anything: [1, 2] }});
posthog.capture("type");
posthog.capture("sign-up", {{ amount: 1, details: {{}}, shared: 2 }});
posthog.capture("class", {{ flag: false }});
posthog.capture("</script>\\u2028*/");
posthog.capture("名前", {{ x: 1 }});
posthog.capture("123 go");
posthog.capture("$autocapture", {{ unplanned: true }});
"""
FIXTURE_BAD = {
    "number_for_string": 'posthog.capture("$pageview", { "$current_url": 42, "has spaces": 1, "café": "x" });',
    "number_for_datetime": 'posthog.capture("$pageview", { "$current_url": "/", "has spaces": 1, "café": 2 });',
    "boolean_for_object": (
        'posthog.capture("$pageview", { "$current_url": "/", "has spaces": 1, "café": "x", "名前": true });'
    ),
    "string_for_union": 'posthog.capture("purchase", { amount: 1, details: {}, shared: "yes" });',
}


def _compile(directory: Path, generated: str, good: str, bad: dict[str, str]) -> None:
    """Compile `good` (must pass) and each `bad` snippet (must fail on its own line 2) against `generated`."""
    (directory / "node_modules").symlink_to(toolchains.posthog_js_modules(), target_is_directory=True)
    (directory / "posthog-typed.ts").write_text(generated, encoding="utf-8")
    (directory / "good.ts").write_text(good, encoding="utf-8")
    files = ["posthog-typed.ts", "good.ts"]
    for name, snippet in bad.items():
        (directory / f"bad_{name}.ts").write_text(f"{IMPORT}{snippet}\n", encoding="utf-8")
        files.append(f"bad_{name}.ts")
    result = toolchains.run([*toolchains.tsc(), *FLAGS, *files], directory)
    failing = set(re.findall(r"^([\w.-]+\.ts)\(\d+,\d+\): error", result.output, re.MULTILINE))
    assert failing == {f for f in files if f.startswith("bad_")}, result.output
    for name, snippet in bad.items():
        errors = re.findall(rf"^bad_{name}\.ts\((\d+),\d+\): error", result.output, re.MULTILINE)
        assert {int(line) for line in errors} == {snippet.count("\n") + 2}, result.output


def test_code_written_for_posthogs_file_compiles_and_mistakes_do_not(tmp_path: Path) -> None:
    _compile(tmp_path, typescript.generate(POSTHOG_PLAN), POSTHOG_USAGE, POSTHOG_BAD)


def test_awkward_names_compile_and_are_checked(tmp_path: Path) -> None:
    _compile(tmp_path, typescript.generate(fixture.plan()), IMPORT + FIXTURE_USAGE, FIXTURE_BAD)


def test_empty_plan_compiles_and_accepts_any_event(tmp_path: Path) -> None:
    usage = f'{IMPORT}posthog.capture("anything", {{ a: 1 }});\nposthog.captureRaw("x");\n'
    _compile(tmp_path, typescript.generate(build_plan([], [], {})), usage, {})


def test_public_surface_matches_posthogs_file() -> None:
    content = typescript.generate(POSTHOG_PLAN)
    assert "import originalPostHog from 'posthog-js'" in content
    assert "export default posthog" in content
    assert "export type { EventSchemas, TypedPostHog }" in content
    assert "export * from 'posthog-js'" in content
    assert "captureRaw(event_name: string" in content


def test_regex_patterns_of_the_json_schema_compile_as_ecma_262(tmp_path: Path) -> None:
    """JavaScript validators (ajv) compile `pattern` with the u flag; inline flags would be a syntax error there."""
    from eventschema.codegen.jsonschema import DATETIME_PATTERN, DECIMAL_NUMBER

    script = tmp_path / "patterns.js"
    script.write_text(
        f"const date = new RegExp({DATETIME_PATTERN!r}, 'u');\n"
        f"const number = new RegExp({DECIMAL_NUMBER!r}, 'u');\n"
        "const ok = date.test(' Wed, 01 MAY 2024 12:00:00 gmt') && date.test('2024-02-29T10:00:00+01:00')"
        " && !date.test('2023-02-29') && number.test(' -1.5e3 ') && !number.test('1,5');\n"
        "process.exit(ok ? 0 : 1);\n",
        encoding="utf-8",
    )
    result = toolchains.run([toolchains.tsc()[0], str(script)], tmp_path)
    assert result.returncode == 0, result.output


RUN = """\
import original from "posthog-js";
import posthog from "./posthog-typed";

const sent: unknown[] = [];
original.capture = ((event: string, properties?: unknown, options?: unknown) => {
  sent.push([event, properties ?? null, options ?? null]);
  return undefined;
}) as typeof original.capture;
posthog.capture("test_event", { required_field: 1, extra: true });
posthog.capture("custom_undefined_event");
posthog.captureRaw("test_event", { any: "data" }, { send_instantly: true });
(posthog as unknown as { custom: number }).custom = 5;
const delegated = posthog.get_distinct_id === original.get_distinct_id;
console.log(JSON.stringify({ sent, delegated, custom: (original as unknown as { custom: number }).custom }));
"""


def test_capture_and_capture_raw_reach_posthog_js_and_everything_else_is_the_instance(tmp_path: Path) -> None:
    (tmp_path / "node_modules").symlink_to(toolchains.posthog_js_modules(), target_is_directory=True)
    (tmp_path / "posthog-typed.ts").write_text(typescript.generate(POSTHOG_PLAN), encoding="utf-8")
    (tmp_path / "run.ts").write_text(RUN, encoding="utf-8")
    flags = [f if f != "esnext" else "commonjs" for f in FLAGS if f != "--noEmit"]
    built = toolchains.run([*toolchains.tsc(), *flags, "--outDir", "out", "run.ts", "posthog-typed.ts"], tmp_path)
    assert built.returncode == 0, built.output
    ran = toolchains.run([toolchains.tsc()[0], "out/run.js"], tmp_path)
    assert ran.returncode == 0, ran.output
    assert json.loads(ran.output.strip().splitlines()[-1]) == {
        "sent": [
            ["test_event", {"required_field": 1, "extra": True}, None],
            ["custom_undefined_event", None, None],
            ["test_event", {"any": "data"}, {"send_instantly": True}],
        ],
        "delegated": True,
        "custom": 5,
    }


# The plan using every rule (see fixture.RULES_GROUPS): "checkout" merges two groups declaring "plan" and "cart".
CART = 'plan: "free", ratio: 0, email: "e", payload: 1'
RULES_USAGE = f"""\
import posthog, {{ EventProperties }} from "./posthog-typed";

posthog.capture("checkout", {{
  plan: "enterprise",
  ratio: 0.5,
  email: "a@example.com",
  payload: [1, {{ a: 2 }}],
  cart: {{ sku: "SKU-1", quantity: 2, kind: "digital", meta: {{ source: "web" }}, gift: true, undeclared: 1 }},
  tags: ["a", "b"],
  lines: [{{ sku: "x", price: 2 }}, {{ sku: "y" }}],
  flag: true,
  scores: [1, "x", null],
  seats: 5,
  ratio_2: 0.5,
  when: new Date(),
  not_test: "ok",
}});
posthog.capture("checkout", {{ plan: "pro", ratio: 1, email: "e", payload: null, cart: {{ sku: "S" }} }});
posthog.capture("checkout cart", {{ {CART}, cart: {{ sku: "SKU-2", quantity: 1 }}, flag: "x" }});
const cart: EventProperties<"checkout cart">["cart"] = {{ sku: "S", quantity: 1 }};
const plan: EventProperties<"checkout">["plan"] = "enterprise";
export {{ cart, plan }};
"""
RULES_BAD = {
    "enum_value_of_another_event": (
        'posthog.capture("checkout cart", { plan: "enterprise", ratio: 0, email: "e", payload: 1, '
        'cart: { sku: "S", quantity: 1 } });'
    ),
    "numeric_enum": f'posthog.capture("checkout cart", {{ {CART}, cart: {{ sku: "S", quantity: 1 }}, seats: 3 }});',
    "wrong_nested_type": f'posthog.capture("checkout cart", {{ {CART}, cart: {{ sku: 5, quantity: 1 }} }});',
    "missing_nested_required": f'posthog.capture("checkout cart", {{ {CART}, cart: {{ sku: "S" }} }});',
    "nested_enum": f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S", kind: "other" }} }});',
    "closed_nested_object": (
        f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S", meta: {{ source: "s", extra: 1 }} }} }});'
    ),
    "wrong_item": f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S" }}, tags: ["c"] }});',
    "wrong_nested_item": f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S" }}, lines: [{{ price: 1 }}] }});',
    "string_for_array": f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S" }}, scores: "1" }});',
    "any_enum": f'posthog.capture("checkout", {{ {CART}, cart: {{ sku: "S" }}, flag: false }});',
}


def test_rules_become_literal_unions_nested_interfaces_and_typed_arrays(tmp_path: Path) -> None:
    _compile(tmp_path, typescript.generate(fixture.rules_plan()), RULES_USAGE, RULES_BAD)


def test_rules_types_cannot_show_are_comments_and_names_stay_out_of_them() -> None:
    content = typescript.generate(fixture.rules_plan())
    assert '        /** minimum: 0, exclusiveMaximum: 1 */\n        "ratio": number\n' in content
    assert '/** pattern: "^SKU-[0-9]+(\\\\*\\/)?$" */' in content  # "*/" cannot end the comment
    assert '/** enum: ["2024-01-01"] */\n        "when"?: string | Date' in content
    assert '"plan": "free" | "pro" | "enterprise"\n' in content
    assert "interface CheckoutCart {" in content and "interface CheckoutCartCart {" in content
    assert "interface CheckoutLinesItem {" in content


def test_nested_type_names_never_take_the_files_own_names(tmp_path: Path) -> None:
    name_rules = {"properties": [fixture.nested("x", "Numeric", True)]}
    group = make_group(
        "g",
        [
            Declaration("Name", "Object", True, False, name_rules),
            Declaration("Schemas", "Object", True, False, name_rules),
        ],
    )
    plan = build_plan(["event", "event schemas"], [group], {"event": ["g"], "event schemas": ["g"]})
    content = typescript.generate(plan)
    assert "interface EventName2 {" in content and "interface EventSchemas2 {" in content
    usage = f'{IMPORT}posthog.capture("event", {{ Name: {{ x: 1 }}, Schemas: {{ x: 2 }} }});\n'
    bad = {"wrong": 'posthog.capture("event schemas", { Name: { x: 1 }, Schemas: { x: "2" } });'}
    _compile(tmp_path, content, usage, bad)
