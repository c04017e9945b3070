"""The generated TypeScript compiles under `tsc --strict`, and wrong uses of it do not."""

import re
from pathlib import Path

from eventschema.codegen import typescript
from eventschema.codegen.plan import build_plan
from tests.codegen import fixture, toolchains

PRELUDE = """\
import { PostHogLike, TypedPostHog } from "./posthog-typed";

const sent: Array<[string, Record<string, any> | null | undefined]> = [];
const client: PostHogLike = {
  capture(event: string, properties?: Record<string, any> | null): unknown {
    sent.push([event, properties]);
    return undefined;
  },
};
const posthog = new TypedPostHog(client);
"""

PAGE_VIEWED = (
    '"$current_url": "https://example.com", "has spaces": 2, "café": new Date(), "new\\nline": "n", '
    '"quote\\"d": "q", "back\\\\slash": "b", "名前": { a: 1 }, "123x": true, "`tick`": 1, "*/ end comment": "c"'
)

GOOD = f"""\
import {{ EventName, EventProperties }} from "./posthog-typed";

posthog.capture("purchase", {{ amount: 12.5, details: {{ sku: "a" }}, shared: true, "$set": {{ plan: "pro" }} }});
posthog.capture("purchase", {{ amount: 1, details: {{}}, currency: "EUR", placed_at: "2024-05-01", shared: 3 }});
posthog.capture("page viewed", {{ {PAGE_VIEWED} }});
posthog.capture("$pageview", {{ "$current_url": "/", "has spaces": 1, "café": "2024-05-01T00:00:00Z" }});
posthog.capture("func");
posthog.capture("func", {{ anything: [1, 2] }});
posthog.capture("type");
posthog.capture("sign up", {{ free: "form" }});
posthog.capture("sign-up", {{ amount: 1, details: {{}}, shared: 2 }});
posthog.capture("class", {{ flag: false }});
posthog.capture("</script>\\u2028*/");
posthog.capture("名前", {{ x: 1 }});
posthog.capture("123 go");
const name: EventName = "café";
const props: EventProperties<"purchase"> = {{ amount: 1, details: {{}}, shared: false }};
export {{ name, props, sent }};
"""

# Each file holds exactly one mistake that tsc must report.
BAD = {
    "number_for_string": '"$current_url": 42, "has spaces": 1, "café": "2024-05-01"',
    "string_for_number": '"$current_url": "/", "has spaces": "1", "café": "2024-05-01"',
    "number_for_datetime": '"$current_url": "/", "has spaces": 1, "café": 20240501',
    "missing_required": '"$current_url": "/", "café": "2024-05-01"',
    "boolean_for_object": '"$current_url": "/", "has spaces": 1, "café": "2024-05-01", "名前": true',
}
BAD_CALLS = {
    "unknown_event": 'posthog.capture("not in the plan", {});',
    "properties_omitted": 'posthog.capture("purchase");',
    "string_for_union": 'posthog.capture("purchase", { amount: 1, details: {}, shared: "yes" });',
}


def _write_project(directory: Path) -> list[str]:
    (directory / "posthog-typed.ts").write_text(typescript.generate(fixture.plan()), encoding="utf-8")
    (directory / "good.ts").write_text(PRELUDE + GOOD, encoding="utf-8")
    (directory / "empty-plan.ts").write_text(typescript.generate(build_plan([], [], {})), encoding="utf-8")
    files = ["posthog-typed.ts", "good.ts", "empty-plan.ts"]
    calls = {name: f'posthog.capture("$pageview", {{ {props} }});' for name, props in BAD.items()} | BAD_CALLS
    for name, call in calls.items():
        (directory / f"bad_{name}.ts").write_text(f"{PRELUDE}{call}\nexport {{ sent }};\n", encoding="utf-8")
        files.append(f"bad_{name}.ts")
    return files


def test_generated_typescript_compiles_and_rejects_wrong_properties(tmp_path: Path) -> None:
    files = _write_project(tmp_path)
    flags = ["--strict", "--noEmit", "--target", "es2020", "--module", "commonjs", "--exactOptionalPropertyTypes"]
    result = toolchains.run([*toolchains.tsc(), *flags, "--noUnusedLocals", *files], tmp_path)
    failing = set(re.findall(r"^([\w.-]+\.ts)\(\d+,\d+\): error", result.output, re.MULTILINE))
    assert failing == {f for f in files if f.startswith("bad_")}, result.output
    for name in BAD | BAD_CALLS:
        errors = re.findall(rf"^bad_{name}\.ts\((\d+),\d+\): error", result.output, re.MULTILINE)
        assert errors and {int(line) for line in errors} == {PRELUDE.count("\n") + 1}, result.output


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
