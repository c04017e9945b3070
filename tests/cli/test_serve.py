"""eventschema serve as a user meets it: a port in use, the start-up hint, the access log, JSON log lines.

Real `eventschema serve` processes on SQLite files (what the server logs does not depend on the back end).
"""

import json
import re
import shlex
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.cli.helpers import EXECUTABLE, cli_env, run_cli_sync
from tests.cli.servers import HOST, Serving, free_port, start

ACCESS_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO eventschema\.access "
    r"(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d\d)ms 127\.0\.0\.1:\d+$",
    re.MULTILINE,
)

# A single-process server stops on SIGTERM as uvicorn does: it shuts down, then lets the signal end it.
STOPPED = (0, -15)


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    result = run_cli_sync("migrate", database_url=url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return url


def _serve(url: str, port: int, *options: str) -> list[str]:
    assert EXECUTABLE, "the eventschema console script is not installed"
    return [EXECUTABLE, "serve", "--host", HOST, "--port", str(port), "--database-url", url, *options]


def _switch(switch: str) -> tuple[list[str], dict[str, str]]:
    """An option for the command line, or a NAME=value setting for its environment."""
    if switch.startswith("--"):
        return [switch], cli_env(None)
    name, value = switch.split("=")
    return [], cli_env(None, {name: value})


def _requests(server: Serving) -> None:
    """Three requests the access log must show: a 200, a 401, and a 404 with a secret in its query string."""
    assert requests.get(f"{server.url}/_health", timeout=15).status_code == 200
    assert requests.get(f"{server.url}/api/projects/", timeout=15).status_code == 401
    assert requests.get(f"{server.url}/nowhere?personal_api_key=phx_secret", timeout=15).status_code == 404


@pytest.mark.parametrize("workers", [1, 2])
def test_a_port_in_use_is_one_line_and_exit_code_1_before_any_serving(tmp_path: Path, workers: int) -> None:
    url = _database(tmp_path)
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]

        completed = subprocess.run(
            _serve(url, port, "--workers", str(workers)),
            capture_output=True, text=True, env=cli_env(None), cwd=tmp_path, timeout=60, check=False,
        )  # fmt: skip

    assert completed.returncode == 1
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].endswith(f"ERROR eventschema.serve cannot listen on {HOST}:{port}: address already in use")
    assert "serving" not in completed.stdout + completed.stderr


def test_the_start_up_hint_is_a_command_that_works_where_the_user_is(tmp_path: Path) -> None:
    assert EXECUTABLE
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "eventschema").symlink_to(EXECUTABLE)
    url = _database(tmp_path)
    port = free_port()
    env = {**cli_env(None), "PATH": "/usr/bin:/bin"}  # as in the README: the venv is not activated
    server = start([str(venv / "eventschema"), *_serve(url, port)[1:]], port, tmp_path, env)
    try:
        server.wait_until_healthy()
    finally:
        server.stop()

    [hint] = [line for line in server.log.splitlines() if "No API keys yet" in line]
    command = hint.split("Create a first one with: ", 1)[1].strip()
    assert command == f".venv/bin/eventschema bootstrap --database-url {shlex.quote(url)}"
    pasted = subprocess.run(
        ["bash", "-c", command + " --json"], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert pasted.returncode == 0, pasted.stderr
    assert json.loads(pasted.stdout)["api_key"].startswith("phx_")


def test_the_hint_names_the_command_alone_when_it_is_on_the_path(tmp_path: Path) -> None:
    assert EXECUTABLE
    port = free_port()
    # The README's way: no URL, so the default SQLite file in the current directory.
    env = {**cli_env(None), "PATH": f"{Path(EXECUTABLE).parent}:/usr/bin:/bin"}
    server = start(["eventschema", "serve", "--port", str(port)], port, tmp_path, env)
    try:
        server.wait_until_healthy()
    finally:
        server.stop()

    assert "Create a first one with: eventschema bootstrap\n" in server.log


def test_the_access_log_has_a_line_per_request(tmp_path: Path) -> None:
    port = free_port()
    server = start(_serve(_database(tmp_path), port), port, tmp_path, cli_env(None))
    try:
        server.wait_until_healthy()
        before = len(ACCESS_LINE.findall(server.log))
        _requests(server)
    finally:
        assert server.stop() in STOPPED

    lines = [match.groupdict() for match in ACCESS_LINE.finditer(server.log)][before:]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/_health", "200"),
        ("GET", "/api/projects/", "401"),
        ("GET", "/nowhere", "404"),
    ]
    assert "phx_secret" not in server.log
    assert re.search(rf"INFO eventschema\.serve serving on http://{HOST}:{port} \(workers=1\)$", server.log, re.M)


@pytest.mark.parametrize("switch", ["--no-access-log", "EVENTSCHEMA_ACCESS_LOG=false"])
def test_the_access_log_can_be_turned_off(tmp_path: Path, switch: str) -> None:
    port = free_port()
    option, env = (
        ([switch], cli_env(None)) if switch.startswith("--") else ([], cli_env(None, dict([switch.split("=")])))
    )
    server = start(_serve(_database(tmp_path), port, *option), port, tmp_path, env)
    try:
        server.wait_until_healthy()
        _requests(server)
    finally:
        assert server.stop() in STOPPED

    assert "eventschema.access" not in server.log
    assert "serving on" in server.log


@pytest.mark.parametrize("switch", ["--log-format=json", "EVENTSCHEMA_LOG_FORMAT=json"])
def test_json_log_lines_from_every_worker(tmp_path: Path, switch: str) -> None:
    port = free_port()
    option, env = (
        ([switch], cli_env(None)) if switch.startswith("--") else ([], cli_env(None, dict([switch.split("=")])))
    )
    server = start(_serve(_database(tmp_path), port, "--workers", "2", *option), port, tmp_path, env)
    try:
        server.wait_until_healthy(listening_sockets=2)
        connections = [requests.Session() for _ in range(16)]  # new connections are spread across the workers
        for session in connections:
            assert session.get(f"{server.url}/api/projects/?limit=1", timeout=15).status_code == 401
            session.close()
    finally:
        assert server.stop() == 0

    entries = [json.loads(line) for line in server.log.splitlines()]  # every line is one JSON object
    for entry in entries:
        assert {"timestamp", "level", "logger", "message", "pid"} <= set(entry), entry
    access = [entry for entry in entries if entry["logger"] == "eventschema.access" and entry["path"] != "/_health"]
    assert len(access) == 16
    for entry in access:
        assert entry["level"] == "INFO"
        assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/projects/", 401)
        assert isinstance(entry["duration_ms"], float)
        assert entry["client"].startswith("127.0.0.1:")
    assert len({entry["pid"] for entry in access}) == 2
    [serving] = [entry for entry in entries if entry["message"].startswith("serving on")]
    assert serving["logger"] == "eventschema.serve"
