"""Where `eventschema pull` finds its personal API key, against a real HTTP server that records what it was sent."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventschema.cli.main import app
from eventschema.cli.pull import KEY_VARIABLES

GENERATED = {"content": "{}\n", "event_count": 0, "schema_hash": "0" * 32, "generator_version": "test"}


class _Recorder(BaseHTTPRequestHandler):
    received: list[str | None]

    def do_GET(self) -> None:
        self.received.append(self.headers.get("Authorization"))
        body = json.dumps(GENERATED).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[tuple[str, list[str | None]]]:
    received: list[str | None] = []
    handler = type("Handler", (_Recorder,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _pull(host: str, tmp_path: Path, **variables: str) -> tuple[int, str]:
    env: dict[str, str | None] = dict.fromkeys(KEY_VARIABLES)
    env.update(variables)
    output = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["pull", "--language", "json", "--host", host, "-o", str(output)], env=env)
    return result.exit_code, result.output


def test_the_quick_starts_variable_is_read(upstream: tuple[str, list[str | None]], tmp_path: Path) -> None:
    host, received = upstream

    code, output = _pull(host, tmp_path, POSTHOG_PERSONAL_API_KEY="phx_quickstart")

    assert code == 0, output
    assert received == ["Bearer phx_quickstart"]


@pytest.mark.parametrize("first", range(len(KEY_VARIABLES)))
def test_the_first_variable_set_wins(upstream: tuple[str, list[str | None]], tmp_path: Path, first: int) -> None:
    host, received = upstream
    variables = {name: f"phx_{name.lower()}" for name in KEY_VARIABLES[first:]}

    code, output = _pull(host, tmp_path, **variables)

    assert code == 0, output
    assert received == [f"Bearer phx_{KEY_VARIABLES[first].lower()}"]


def test_an_option_beats_the_environment(upstream: tuple[str, list[str | None]], tmp_path: Path) -> None:
    host, received = upstream
    output = tmp_path / "out.json"
    env = {name: f"phx_{name.lower()}" for name in KEY_VARIABLES}

    result = CliRunner().invoke(
        app, ["pull", "--language", "json", "--host", host, "-o", str(output), "--api-key", "phx_option"], env=env
    )

    assert result.exit_code == 0, result.output
    assert received == ["Bearer phx_option"]


def test_no_key_names_every_variable(upstream: tuple[str, list[str | None]], tmp_path: Path) -> None:
    host, received = upstream

    code, output = _pull(host, tmp_path, POSTHOG_PERSONAL_API_KEY="  ")

    assert code == 2
    assert received == []
    assert "no API key" in output
    for name in KEY_VARIABLES:
        assert name in output


def test_the_variables_and_their_order_are_in_the_help() -> None:
    result = CliRunner().invoke(app, ["pull", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    assert "POSTHOG_PERSONAL_API_KEY" in KEY_VARIABLES
    assert ", ".join(KEY_VARIABLES) in " ".join(result.output.split())
