"""eventschema serve --workers N: a listening socket per worker (SO_REUSEPORT), restarts, a clean stop.

The servers are the real `eventschema serve` on SQLite files; their workers are found in /proc (Linux).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import typer
from uvicorn.config import STARTUP_FAILURE

from eventschema.cli.workers import Supervisor, bind_sockets, claim_port
from tests.cli.helpers import EXECUTABLE, cli_env, run_cli_sync

pytestmark = pytest.mark.slow

HOST = "127.0.0.1"
CONNECTIONS = 16


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def health(self) -> int:
        """The status of GET /_health on a new connection."""
        return requests.get(f"http://{HOST}:{self.port}/_health", timeout=15).status_code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    result = run_cli_sync("migrate", database_url=url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return url


def _serve_command(url: str, port: int) -> list[str]:
    assert EXECUTABLE, "the eventschema console script is not installed"
    return [EXECUTABLE, "serve", "--host", HOST, "--port", str(port), "--workers", "2", "--database-url", url]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _run_to_exit(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Runs a server command that should give up by itself; returns its exit code and stderr."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.returncode is None:
            _stop(process)
    return process.returncode, stderr.decode()


def _workers(pid: int) -> set[int]:
    """The worker processes of server `pid`: its children started by multiprocessing's spawn (not its tracker)."""
    workers = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if b"multiprocessing.spawn" in command:
                workers.add(int(child))
    return workers


def _wait_for_workers(server: Server, count: int) -> set[int]:
    deadline = time.monotonic() + 15
    while len(workers := _workers(server.process.pid)) != count:
        assert time.monotonic() < deadline, (workers, server.log)
        time.sleep(0.1)
    return workers


def _tcp_sockets(port: int, state: str) -> set[str]:
    """The TCP sockets with local port `port` in `state` (01 ESTABLISHED, 0A LISTEN), as their fd link text; from
    /proc/net/tcp, where the local address's port is the hex after its colon."""
    found = set()
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                found.add(f"socket:[{fields[9]}]")
    return found


def _established_connections(pid: int, port: int) -> int:
    """How many ESTABLISHED TCP sockets with local port `port` process `pid` holds among its fds."""
    established = _tcp_sockets(port, "01")
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd) in established
        except FileNotFoundError:
            continue
    return count


def _get_health(connection: socket.socket) -> bytes:
    """One keep-alive GET /_health on an open connection; returns the status line."""
    connection.sendall(f"GET /_health HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    with connection.makefile("rb") as answer:
        status = answer.readline()
        length = 0
        while (line := answer.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        answer.read(length)
    return status.strip()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    url = _database(tmp_path)
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            _serve_command(url, port),
            stdout=log, stderr=subprocess.STDOUT, env=cli_env(None), cwd=tmp_path, start_new_session=True,
        )  # fmt: skip
    started = Server(process, port, log_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, started.log
            try:
                # Each worker listens on its own socket once it is ready; wait for both.
                if started.health() == 200 and len(_tcp_sockets(port, "0A")) == 2:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, started.log
            time.sleep(0.1)
        yield started
    finally:
        _stop(process)


def test_bind_sockets_gives_each_worker_a_socket_on_one_port() -> None:
    sockets = bind_sockets(HOST, 0, 3)
    try:
        assert len({id(sock) for sock in sockets}) == 3
        port = sockets[0].getsockname()[1]
        assert port != 0
        for sock in sockets:
            assert sock.getsockname() == (HOST, port)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
            assert sock.get_inheritable()
            # The workers listen when they are ready; until one does, connections are refused, not queued.
            assert not sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((HOST, port), timeout=5)
        for sock in sockets:
            sock.listen()
        with socket.create_connection((HOST, port), timeout=5):
            pass
    finally:
        for sock in sockets:
            sock.close()


def test_bind_sockets_on_a_given_port_and_the_check_that_it_is_free(caplog: pytest.LogCaptureFixture) -> None:
    port = _free_port()
    sockets = bind_sockets(HOST, port, 2)
    try:
        assert [sock.getsockname()[1] for sock in sockets] == [port, port]
        for sock in sockets:
            sock.listen()  # as a running server's workers do
        # Another server would join their group with SO_REUSEPORT; claim_port checks without it first.
        with pytest.raises(typer.Exit) as exited:
            claim_port(HOST, port, 2)
        assert exited.value.exit_code == 1
        [record] = caplog.records
        assert (record.name, record.levelname) == ("eventschema.serve", "ERROR")
        assert record.getMessage() == f"cannot listen on {HOST}:{port}: address already in use"
    finally:
        for sock in sockets:
            sock.close()


def test_bind_sockets_without_reuseport_shares_one_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(socket, "SO_REUSEPORT")

    sockets = bind_sockets(HOST, 0, 3)
    try:
        assert len({id(sock) for sock in sockets}) == 1
        assert len(sockets) == 3
        assert sockets[0].getsockname()[1] != 0
    finally:
        sockets[0].close()


def test_connections_are_spread_across_workers(server: Server) -> None:
    connections = [socket.create_connection((HOST, server.port), timeout=10) for _ in range(CONNECTIONS)]
    try:
        for connection in connections:
            assert _get_health(connection) == b"HTTP/1.1 200 OK"
        workers = _workers(server.process.pid)
        held = {worker: _established_connections(worker, server.port) for worker in workers}
    finally:
        for connection in connections:
            connection.close()

    assert len(held) == 2, server.log
    assert sum(held.values()) == CONNECTIONS, held
    assert all(count >= 1 for count in held.values()), held


def test_a_killed_worker_is_replaced_and_requests_keep_being_answered(server: Server) -> None:
    before = _wait_for_workers(server, 2)
    victim = min(before)

    os.kill(victim, signal.SIGKILL)
    statuses = []
    deadline = time.monotonic() + 15
    while len(after := _workers(server.process.pid)) != 2 or victim in after:
        statuses.append(server.health())
        assert time.monotonic() < deadline, (after, server.log)
        time.sleep(0.05)
    statuses += [server.health() for _ in range(20)]

    assert len(after - before) == 1
    assert set(statuses) == {200}
    assert f"WARNING eventschema.serve worker {victim} exited (code -9); restarting it" in server.log
    assert server.process.poll() is None


def test_sigterm_stops_the_server_and_its_workers(server: Server) -> None:
    workers = _wait_for_workers(server, 2)
    assert server.health() == 200

    server.process.send_signal(signal.SIGTERM)

    assert server.process.wait(timeout=15) == 0, server.log
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((HOST, server.port))
        again.listen()


def _running(pid: int) -> bool:
    """Whether the process exists and has not exited (an exited orphan may wait as a zombie for its reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_workers_stop_when_their_supervisor_is_killed(server: Server) -> None:
    workers = _wait_for_workers(server, 2)

    server.process.kill()  # SIGKILL: the supervisor cannot stop them itself
    server.process.wait(timeout=15)

    try:
        deadline = time.monotonic() + 15
        while running := [pid for pid in workers if _running(pid)]:
            assert time.monotonic() < deadline, (running, server.log)
            time.sleep(0.1)
    finally:
        for pid in workers:  # should the test fail, end the orphans it made
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((HOST, server.port))
        again.listen()


def test_a_port_in_use_is_refused(tmp_path: Path) -> None:
    url = _database(tmp_path)
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]

        code, stderr = _run_to_exit(_serve_command(url, port), tmp_path, cli_env(None))

    assert code != 0
    assert f"ERROR eventschema.serve cannot listen on {HOST}:{port}: address already in use" in stderr


def test_a_second_server_on_the_same_port_is_refused(server: Server, tmp_path: Path) -> None:
    code, stderr = _run_to_exit(_serve_command(_database(tmp_path), server.port), tmp_path, cli_env(None))

    assert code != 0
    assert f"ERROR eventschema.serve cannot listen on {HOST}:{server.port}: address already in use" in stderr
    assert server.health() == 200


def test_an_invalid_setting_stops_serve_before_any_worker_starts(tmp_path: Path) -> None:
    env = {**cli_env(None), "EVENTSCHEMA_PAGE_SIZE_MAX": "0"}

    code, stderr = _run_to_exit(_serve_command(_database(tmp_path), _free_port()), tmp_path, env)

    assert code == 2
    assert stderr.startswith("error: invalid setting: EVENTSCHEMA_PAGE_SIZE_MAX: ")
    assert len(stderr.splitlines()) == 1, stderr


def _worker_that_cannot_start(sock: socket.socket, supervisor: int) -> None:
    sys.exit(STARTUP_FAILURE)


def test_a_worker_that_cannot_start_stops_the_server(caplog: pytest.LogCaptureFixture) -> None:
    sockets = bind_sockets(HOST, 0, 2)

    code = Supervisor(sockets, worker=_worker_that_cannot_start).run()

    assert code == 1
    assert any("could not start" in record.getMessage() for record in caplog.records)
    assert all(sock.fileno() == -1 for sock in sockets)  # closed
