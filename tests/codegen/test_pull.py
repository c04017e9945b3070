"""`eventschema pull` against a real `eventschema serve` process on a free port."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from eventschema.cli.main import app
from eventschema.cli.pull import DEFAULT_OUTPUTS, Language, _tag

EVENTSCHEMA = str(Path(sys.executable).with_name("eventschema"))
VARIABLES = (
    "EVENTSCHEMA_API_KEY",
    "EVENTSCHEMA_HOST",
    "EVENTSCHEMA_PROJECT_ID",
    "POSTHOG_CLI_API_KEY",
    "POSTHOG_CLI_TOKEN",
    "POSTHOG_CLI_HOST",
    "POSTHOG_CLI_PROJECT_ID",
    "POSTHOG_CLI_ENV_ID",
)


@dataclass(frozen=True)
class Server:
    url: str
    key: str
    project_id: int

    def post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        url = f"{self.url}/api/projects/{self.project_id}/{path}"
        response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {self.key}"})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def generated(self, language: str) -> dict[str, object]:
        url = f"{self.url}/api/projects/{self.project_id}/event_definitions/{language}/"
        return httpx.get(url, headers={"Authorization": f"Bearer {self.key}"}).json()  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("server")
    env = {**os.environ, "EVENTSCHEMA_DATABASE_URL": f"sqlite:///{directory / 'eventschema.db'}"}
    created = subprocess.run([EVENTSCHEMA, "bootstrap", "--json"], env=env, capture_output=True, text=True, check=True)
    account = json.loads(created.stdout)
    port = _free_port()
    process = subprocess.Popen(
        [EVENTSCHEMA, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/_health/").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "eventschema serve did not start"
            time.sleep(0.1)
        running = Server(url, account["api_key"], account["project_id"])
        group = running.post(
            "schema_property_groups/",
            {
                "name": "order",
                "properties": [
                    {"name": "amount", "property_type": "Numeric", "is_required": True},
                    {"name": "coupon", "property_type": "String"},
                ],
            },
        )
        event = running.post("event_definitions/", {"name": "purchase"})
        running.post("event_schemas/", {"event_definition": event["id"], "property_group_id": group["id"]})
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def pull(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `eventschema pull ARGS` in tmp_path with the given environment (the server's key and host by default)."""
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, env: dict[str, str] | None = None):
        if env is None:
            env = {"EVENTSCHEMA_API_KEY": server.key, "EVENTSCHEMA_HOST": server.url}
        return CliRunner().invoke(app, ["pull", *args], env=env)

    return run


def test_writes_the_file_and_records_it_in_posthog_json(pull, server: Server, tmp_path: Path) -> None:
    result = pull("--language", "typescript")
    assert result.exit_code == 0, result.output
    served = server.generated("typescript")
    assert (tmp_path / "posthog-typed.ts").read_text(encoding="utf-8") == served["content"]
    recorded = json.loads((tmp_path / "posthog.json").read_text(encoding="utf-8"))
    entry = recorded["languages"]["typescript"]
    assert list(entry) == ["output_path", "schema_hash", "updated_at", "event_count", "generator_version"]
    assert (entry["output_path"], entry["schema_hash"], entry["event_count"]) == (
        "posthog-typed.ts",
        served["schema_hash"],
        served["event_count"],
    )
    assert entry["updated_at"].endswith("Z")


def test_an_unchanged_hash_leaves_the_file_alone(pull, tmp_path: Path) -> None:
    assert pull("--language", "python").exit_code == 0
    target = tmp_path / "posthog_typed.py"
    os.utime(target, (1_000_000_000, 1_000_000_000))
    config_before = (tmp_path / "posthog.json").read_text(encoding="utf-8")
    result = pull("--language", "python")
    assert result.exit_code == 0 and "up to date" in result.output
    assert target.stat().st_mtime == 1_000_000_000
    assert (tmp_path / "posthog.json").read_text(encoding="utf-8") == config_before


def test_check_fails_on_a_stale_or_missing_file_and_never_writes(pull, tmp_path: Path) -> None:
    result = pull("--language", "golang", "--check")
    assert result.exit_code == 1 and "stale" in result.output
    assert not (tmp_path / "posthog_typed.go").exists()
    assert pull("--language", "golang").exit_code == 0
    assert pull("--language", "golang", "--check").exit_code == 0
    (tmp_path / "posthog_typed.go").write_text("// edited by hand\n", encoding="utf-8")
    assert pull("--language", "golang", "--check").exit_code == 1
    assert pull("--language", "golang").exit_code == 0
    assert pull("--language", "golang", "--check").exit_code == 0


@pytest.fixture
def statuses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(status, body length) of every answer `pull` receives (the real requests, only watched)."""
    seen: list[tuple[int, int]] = []
    real_get = httpx.get

    def watched(*args, **kwargs):
        response = real_get(*args, **kwargs)
        seen.append((response.status_code, len(response.content)))
        return response

    monkeypatch.setattr(httpx, "get", watched)
    return seen


@pytest.mark.parametrize("language", ["typescript", "jsonschema"])
def test_a_current_file_is_confirmed_by_a_304_without_its_content(
    pull, server: Server, tmp_path: Path, statuses: list[tuple[int, int]], language: str
) -> None:
    assert pull("--language", language).exit_code == 0
    assert statuses[-1][0] == 200 and statuses[-1][1] > 1000
    for args in (["--check"], []):
        result = pull("--language", language, *args)
        assert result.exit_code == 0 and "up to date" in result.output, result.output
        assert statuses[-1] == (304, 0)
    # The tag pull sends is the server's own, computed from the file and posthog.json.
    url = f"{server.url}/api/projects/{server.project_id}/event_definitions/{language}/"
    served = httpx.get(url, headers={"Authorization": f"Bearer {server.key}"})
    recorded = json.loads((tmp_path / "posthog.json").read_text(encoding="utf-8"))["languages"][language]
    on_disk = (tmp_path / DEFAULT_OUTPUTS[Language(language)]).read_text(encoding="utf-8")
    assert served.headers["etag"] == _tag(on_disk, recorded)


def test_an_edited_file_or_an_old_posthog_json_gets_the_whole_answer(
    pull, tmp_path: Path, statuses: list[tuple[int, int]]
) -> None:
    assert pull("--language", "python").exit_code == 0
    target = tmp_path / "posthog_typed.py"
    target.write_text(target.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = pull("--language", "python", "--check")
    assert result.exit_code == 1 and "stale" in result.output
    assert statuses[-1][0] == 200
    assert pull("--language", "python").exit_code == 0
    config = json.loads((tmp_path / "posthog.json").read_text(encoding="utf-8"))
    del config["languages"]["python"]["generator_version"]  # as written before it was recorded
    (tmp_path / "posthog.json").write_text(json.dumps(config), encoding="utf-8")
    assert pull("--language", "python", "--check").exit_code == 0
    assert statuses[-1][0] == 200
    assert pull("--language", "python").exit_code == 0  # records it
    assert pull("--language", "python", "--check").exit_code == 0
    assert statuses[-1] == (304, 0)


def test_output_option_languages_and_other_entries_of_posthog_json(pull, server: Server, tmp_path: Path) -> None:
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "posthog.json").write_text('{"schema_version": 1, "output_paths": {"typescript": "x.ts"}}')
    assert pull("--language", "json", "--output", "gen").exit_code == 0
    assert pull("--language", "jsonschema", "--output", "gen").exit_code == 0
    assert pull("--language", "python", "-o", "gen/events.py").exit_code == 0
    recorded = json.loads((tmp_path / "gen" / "posthog.json").read_text(encoding="utf-8"))
    assert recorded["schema_version"] == 1 and recorded["output_paths"] == {"typescript": "x.ts"}
    assert {k: v["output_path"] for k, v in recorded["languages"].items()} == {
        "json": "posthog-typed.json",
        "jsonschema": "posthog-typed.schema.json",
        "python": "events.py",
    }
    events = json.loads((tmp_path / "gen" / "posthog-typed.json").read_text(encoding="utf-8"))
    assert events == json.loads(str(server.generated("json")["content"]))
    assert isinstance(events, list)
    document = json.loads((tmp_path / "gen" / "posthog-typed.schema.json").read_text(encoding="utf-8"))
    assert document == json.loads(str(server.generated("jsonschema")["content"]))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_without_output_the_path_recorded_in_posthog_json_is_used(pull, tmp_path: Path) -> None:
    (tmp_path / "posthog.json").write_text('{"output_paths": {"typescript": "src/typed.ts"}}')
    assert pull("--language", "typescript").exit_code == 0
    assert (tmp_path / "src" / "typed.ts").exists() and (tmp_path / "src" / "posthog.json").exists()


def test_posthog_cli_variables_are_read_as_fallbacks(pull, server: Server, tmp_path: Path) -> None:
    env = {
        "POSTHOG_CLI_API_KEY": server.key,
        "POSTHOG_CLI_HOST": server.url,
        "POSTHOG_CLI_PROJECT_ID": str(server.project_id),
    }
    assert pull("--language", "typescript", env=env).exit_code == 0
    assert (tmp_path / "posthog-typed.ts").exists()


def test_a_schema_change_rewrites_the_file(pull, server: Server, tmp_path: Path) -> None:
    assert pull("--language", "typescript").exit_code == 0
    before = json.loads((tmp_path / "posthog.json").read_text(encoding="utf-8"))["languages"]["typescript"]
    server.post("event_definitions/", {"name": "signed up"})
    assert pull("--language", "typescript", "--check").exit_code == 1
    result = pull("--language", "typescript")
    assert result.exit_code == 0 and "wrote" in result.output
    after = json.loads((tmp_path / "posthog.json").read_text(encoding="utf-8"))["languages"]["typescript"]
    assert after["schema_hash"] != before["schema_hash"] and after["event_count"] == before["event_count"] + 1
    assert '"signed up": Record<string, any>' in (tmp_path / "posthog-typed.ts").read_text(encoding="utf-8")


def test_errors_have_messages_and_distinct_exit_codes(pull, server: Server) -> None:
    missing = pull("--language", "typescript", env={"EVENTSCHEMA_HOST": server.url})
    assert missing.exit_code == 2 and "EVENTSCHEMA_API_KEY" in missing.output
    refused = pull("--language", "typescript", env={"EVENTSCHEMA_API_KEY": "phx_wrong", "EVENTSCHEMA_HOST": server.url})
    assert refused.exit_code == 3 and "401" in refused.output and "invalid" in refused.output
    unknown = pull("--language", "typescript", "--project", "999999")
    assert unknown.exit_code == 3 and "Project not found." in unknown.output
    down = f"http://127.0.0.1:{_free_port()}"
    unreachable = pull("--language", "typescript", env={"EVENTSCHEMA_API_KEY": server.key, "EVENTSCHEMA_HOST": down})
    assert unreachable.exit_code == 4 and "cannot reach" in unreachable.output
    bad_url = pull("--language", "typescript", "--host", "ftp://example.com")
    assert bad_url.exit_code == 2
    assert pull("--language", "rust").exit_code == 2
