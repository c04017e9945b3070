"""The README's quick start, pasted into bash as a user would, against a real `eventschema serve`.

Every shell block of the section runs in one bash session (with `set -euo pipefail`, so an unset variable or a
failed id lookup stops it), from a directory holding `.venv/bin/eventschema`, as the README assumes. The two
things a user types in by hand are done the same way here: the key printed by `bootstrap` goes into the export
line, and the server's port replaces 8000. The server's access log then shows what each command got.
"""

import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.cli.helpers import EXECUTABLE, cli_env
from tests.cli.servers import Serving, free_port, start
from tests.codegen import toolchains
from tests.codegen.test_typescript import FLAGS as TSC_FLAGS

README = Path(__file__).resolve().parents[2] / "README.md"
# The reference's create example (PostHog's Event Schemas API page), as printed there, ids filled in.
SEED_CREATE = """curl -H 'Content-Type: application/json' \\
-H "Authorization: Bearer $POSTHOG_PERSONAL_API_KEY" \\
$HOST/api/projects/1/event_schemas/ \\
-d event_definition="$EVENT_DEFINITION_ID", \\
-d property_group_id="$PROPERTY_GROUP_ID"
"""
ACCESS = re.compile(r"INFO eventschema\.access (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) ")
UUID = r"[0-9a-f-]{36}"


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _shell_blocks(section: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Serving]:
    assert EXECUTABLE
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "eventschema").symlink_to(EXECUTABLE)
    port = free_port()
    started = start([".venv/bin/eventschema", "serve", "--port", str(port)], port, tmp_path, _env())
    try:
        started.wait_until_healthy()
        yield started
    finally:
        started.stop()


def _env() -> dict[str, str]:
    """A fresh shell's environment: no eventschema or PostHog settings, the venv not activated."""
    env = {name: value for name, value in cli_env(None).items() if not name.startswith("POSTHOG_")}
    return {**env, "PATH": "/usr/local/bin:/usr/bin:/bin"}


def _script(blocks: list[str], port: int, key_file: Path) -> str:
    script = "\n".join(blocks)
    bootstrap = ".venv/bin/eventschema bootstrap --json\n"
    export = "export POSTHOG_PERSONAL_API_KEY=phx_...   "
    assert script.count(bootstrap) == 1 and script.count(export) == 1 and script.count("127.0.0.1:8000") == 1
    read_key = f'$(python3 -c \'import json; print(json.load(open("{key_file}"))["api_key"])\')'
    script = script.replace(bootstrap, f".venv/bin/eventschema bootstrap --json | tee {key_file}\n")
    script = script.replace(export, f"export POSTHOG_PERSONAL_API_KEY={read_key}   ")
    return "set -euo pipefail\n" + script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")


@pytest.mark.slow
def test_the_quick_start_works_when_pasted(server: Serving, tmp_path: Path) -> None:
    blocks = _shell_blocks(_section("Quick start"))
    before = len(ACCESS.findall(server.log))

    ran = subprocess.run(
        ["bash", "-c", _script(blocks, server.port, tmp_path / "bootstrap.json")],
        capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip

    assert ran.returncode == 0, ran.stdout + ran.stderr
    requests_seen = [(m["method"], m["path"], m["status"]) for m in ACCESS.finditer(server.log)][before:]
    expected = [
        ("POST", "/api/projects/1/event_definitions/", "201"),
        ("POST", "/api/projects/1/event_definitions/", "201"),
        ("POST", "/api/projects/1/schema_property_groups/", "201"),
        ("GET", "/api/projects/1/event_schemas/", "200"),
        ("POST", "/api/projects/1/event_schemas/", "201"),
        ("PATCH", f"/api/projects/1/event_schemas/{UUID}/", "200"),
        ("DELETE", f"/api/projects/1/event_schemas/{UUID}/", "204"),
        ("POST", "/api/projects/1/event_schemas/", "201"),  # the corrected create of the reference
        ("GET", "/api/projects/@current/event_definitions/typescript/", "200"),  # pull
    ]
    assert len(requests_seen) == len(expected), requests_seen
    for seen, (method, path, status) in zip(requests_seen, expected, strict=True):
        assert seen[0] == method and re.fullmatch(path, seen[1]) and seen[2] == status, (seen, ran.stdout)
    assert "wrote posthog-typed.ts (2 events" in ran.stdout
    assert (tmp_path / "posthog-typed.ts").is_file()


def test_the_references_create_example_fails_as_the_readme_says(server: Serving, tmp_path: Path) -> None:
    key = subprocess.run(
        [".venv/bin/eventschema", "bootstrap", "--json"], capture_output=True, text=True, env=_env(), cwd=tmp_path,
        check=True,
    ).stdout  # fmt: skip
    api_key = re.search(r'"api_key":\s*"([^"]+)"', key)
    assert api_key
    headers = {"Authorization": f"Bearer {api_key[1]}"}
    definition = requests.post(f"{server.url}/api/projects/1/event_definitions/", json={"name": "a"}, headers=headers)
    group = requests.post(f"{server.url}/api/projects/1/schema_property_groups/", json={"name": "g"}, headers=headers)
    variables = {
        "POSTHOG_PERSONAL_API_KEY": api_key[1],
        "HOST": server.url,
        "EVENT_DEFINITION_ID": definition.json()["id"],
        "PROPERTY_GROUP_ID": group.json()["id"],
    }
    # The shell keeps each trailing comma inside its value.
    words = shlex.split(SEED_CREATE.replace("\\\n", " "))
    assert f"event_definition={variables['EVENT_DEFINITION_ID']}," in [
        word.replace("$EVENT_DEFINITION_ID", variables["EVENT_DEFINITION_ID"]) for word in words
    ]

    ran = subprocess.run(
        ["bash", "-c", SEED_CREATE.rstrip() + " -s -o /dev/stderr -w '%{http_code}'"],
        capture_output=True, text=True, env={**_env(), **variables}, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip

    assert ran.stdout == "400"
    assert '"code":"parse_error"' in ran.stderr.replace(" ", "")


RULES = "Property rules: from a definition to a quarantined event and a compile error"


def _code_blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


@pytest.mark.slow
def test_the_rules_example_works_when_pasted(server: Serving, tmp_path: Path) -> None:
    """The rules section's shell blocks, after the quick start's exports, print what the README shows; its
    TypeScript snippet fails `tsc --strict` with the error the README quotes."""
    bootstrap = subprocess.run(
        [".venv/bin/eventschema", "bootstrap", "--json"], capture_output=True, text=True, env=_env(), cwd=tmp_path,
        check=True,
    ).stdout  # fmt: skip
    section = _section(RULES)
    prelude = "id_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)[\"id\"])'; }\n"
    variables = {"POSTHOG_PERSONAL_API_KEY": json.loads(bootstrap)["api_key"], "HOST": server.url}

    ran = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + prelude + "\n".join(_shell_blocks(section))],
        capture_output=True, text=True, env={**_env(), **variables}, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert '"attr":"properties__0__validation_rules__pattern"' in ran.stdout
    printed = "\n".join(line for line in section.splitlines() if line.startswith("u2 "))
    assert printed.count("\n") == 1 and printed in ran.stdout, ran.stdout
    assert '"free" | "pro"' in ran.stdout
    snippet = _code_blocks(section, "ts")[0]
    (tmp_path / "node_modules").symlink_to(toolchains.posthog_js_modules(), target_is_directory=True)
    (tmp_path / "app.ts").write_text(snippet, encoding="utf-8")
    compiled = toolchains.run([*toolchains.tsc(), *TSC_FLAGS, "app.ts"], tmp_path)
    quoted = [line.removeprefix("//").strip(" .") for line in snippet.splitlines() if line.startswith("//")]
    assert compiled.returncode != 0
    assert "error TS2769: No overload matches this call" in compiled.output and quoted[0].endswith(
        "No overload matches this call"
    )
    assert 'Type \'"enterprise"\' is not assignable to type \'"free" | "pro"\'' in compiled.output
