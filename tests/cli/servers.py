"""Real `eventschema serve` processes for the tests: start on a free port, wait until healthy, stop."""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import requests

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Serving:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_until_healthy(self, listening_sockets: int = 1) -> None:
        """Until GET /_health answers 200 and `listening_sockets` sockets listen on the port (one per worker)."""
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.log
            try:
                if requests.get(f"{self.url}/_health", timeout=15).status_code == 200 and (
                    listening(self.port) >= listening_sockets
                ):
                    return
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, self.log
            time.sleep(0.1)

    def stop(self) -> int:
        """SIGTERM, then SIGKILL to the whole session if it does not stop; returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start(command: Sequence[str], port: int, cwd: Path, env: dict[str, str]) -> Serving:
    """Starts `command` (a serve command on `port`) in its own session, its stdout and stderr to a file."""
    log_path = cwd / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
    return Serving(process, port, log_path)


def listening(port: int) -> int:
    """How many TCP sockets listen on local port `port` (from /proc/net/tcp*, where 0A is LISTEN)."""
    count = 0
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            count += int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A"
    return count
