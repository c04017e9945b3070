"""`serve --workers N`: N uvicorn worker processes, each accepting on its own listening socket.

uvicorn's own supervisor binds one socket that every worker accepts from. When a client opens many keep-alive
connections at once, whichever worker wakes first accepts nearly all of them and keeps them for their lifetime:
we measured one of two workers at 85% CPU and the other idle for a whole run. Here each worker gets its own
socket, all bound to the same address with SO_REUSEPORT, so the kernel hashes new connections across the
workers (as nginx's `reuseport` does).

The parent binds the sockets but leaves listen() to the workers (uvicorn does it once the app has started). A
socket joins the kernel's group only when it listens, so at start-up no connection waits for a worker that is
still importing the app: it goes to a worker that is ready, or is refused while none is. The parent then holds
every socket for its lifetime: when a worker dies, its socket keeps listening, and connections hashed to it wait
in its backlog for the replacement instead of being refused.
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.context import SpawnProcess
from types import FrameType
from typing import Final, TypedDict

import typer
import uvicorn
from uvicorn.config import STARTUP_FAILURE

from eventschema.logs import log_config
from eventschema.settings import get_settings

APP: Final = "eventschema.asgi:app"
BACKLOG: Final = 2048
CHECK_INTERVAL: Final = 0.5
STOP_TIMEOUT: Final = 10.0
# A worker that dies sooner than this after it was started is restarted after a pause that doubles each time
# (1 s, 2 s, ... up to MAX_BACKOFF), so a worker that keeps crashing cannot turn into a hot restart loop.
MIN_UPTIME: Final = 5.0
MAX_BACKOFF: Final = 30.0
PR_SET_PDEATHSIG: Final = 1  # prctl(2)


class ServerOptions(TypedDict):
    backlog: int
    loop: str
    http: str
    proxy_headers: bool
    access_log: bool
    log_level: str


# What every worker runs with, whether uvicorn.run starts it in-process or a worker process of ours does.
SERVER_OPTIONS: Final[ServerOptions] = {
    "backlog": BACKLOG,
    "loop": "uvloop",
    "http": "httptools",
    "proxy_headers": False,
    "access_log": False,
    "log_level": "warning",
}


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


logger = logging.getLogger("eventschema.serve")


def server_config() -> uvicorn.Config:
    """A worker's uvicorn configuration; its log lines take the format the settings ask for."""
    settings = get_settings()
    return uvicorn.Config(APP, log_config=log_config(settings.log_format, settings.log_level), **SERVER_OPTIONS)


def bind_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets bound to (host, port), each with SO_REUSEPORT; port 0 picks one free port for all.

    They are not listening yet: each worker's server does that when it is ready. Where the platform has no
    SO_REUSEPORT, the list holds one socket `count` times (the workers share it).
    """
    reuse_port: int | None = getattr(socket, "SO_REUSEPORT", None)
    sockets: list[socket.socket] = []
    try:
        for _ in range(count if reuse_port is not None else 1):
            sock = socket.socket(_family(host), socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port is not None:
                sock.setsockopt(socket.SOL_SOCKET, reuse_port, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.set_inheritable(True)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets if len(sockets) == count else sockets * count


def claim_port(host: str, port: int, count: int) -> list[socket.socket]:
    """bind_sockets, after checking that nothing is listening there; exits with a one-line error if either fails.

    The check binds a socket without SO_REUSEPORT: otherwise a second eventschema server on the same port would
    silently join the first one's group and share its connections.
    """
    try:
        with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        return bind_sockets(host, port, count)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        logger.error("cannot listen on %s: %s", address, f"{reason[:1].lower()}{reason[1:]}")
        raise typer.Exit(1) from None


def _stop_with(supervisor: int) -> None:
    """On Linux, have the kernel send this worker SIGTERM when its supervisor dies, even killed with SIGKILL:
    otherwise the workers would go on serving as orphans, holding the port."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != supervisor:  # it died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def _run_worker(sock: socket.socket, supervisor: int) -> None:
    """A worker process: serve the app on `sock` until SIGTERM or SIGINT (or its supervisor's death)."""
    _stop_with(supervisor)
    config = server_config()
    try:
        try:
            config.load()
        except Exception:
            # The app cannot even be imported (uvicorn exits like this only for some such errors): a restart
            # would fail the same way, so tell the supervisor it is a start-up failure.
            logging.getLogger("uvicorn.error").exception("could not load %s", APP)
            sys.exit(STARTUP_FAILURE)
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the supervisor is stopping us anyway
        pass


@dataclass
class _Slot:
    """One worker's place: its socket, its current process, and how its recent restarts went."""

    sock: socket.socket
    process: SpawnProcess | None = None
    started: float = 0.0
    quick_exits: int = 0
    restart_at: float | None = None


class Supervisor:
    """Runs one worker per socket and restarts those that die, until SIGINT or SIGTERM."""

    def __init__(
        self, sockets: list[socket.socket], worker: Callable[[socket.socket, int], None] = _run_worker
    ) -> None:
        """`worker(sock, supervisor_pid)` runs in each worker process (spawned: it must be importable)."""
        self.context = multiprocessing.get_context("spawn")
        self.worker = worker
        self.sockets = sockets
        self.slots = [_Slot(sock) for sock in sockets]
        self.should_exit = False

    def run(self) -> int:
        """Returns the exit code: 0 once stopped by a signal, 1 if a worker could not start. Closes the sockets."""
        handlers = {sig: signal.signal(sig, self._handle_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        failed = False
        try:
            for slot in self.slots:
                self._start(slot)
            while not self.should_exit and not failed:
                wait([slot.process.sentinel for slot in self.slots if slot.process is not None], CHECK_INTERVAL)
                failed = not all(self._check(slot) for slot in self.slots)
        finally:
            self._stop()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        return 1 if failed else 0

    def _handle_signal(self, sig: int, frame: FrameType | None) -> None:
        self.should_exit = True

    def _start(self, slot: _Slot) -> None:
        process = self.context.Process(target=self.worker, args=(slot.sock, os.getpid()), name="eventschema worker")
        process.start()
        slot.process, slot.started, slot.restart_at = process, time.monotonic(), None

    def _check(self, slot: _Slot) -> bool:
        """Notes an exited worker and restarts it when due; False if it could not start (the app is broken)."""
        now = time.monotonic()
        process = slot.process
        if process is not None and process.exitcode is not None:
            pid, code = process.pid, process.exitcode
            process.close()
            slot.process = None
            if code == STARTUP_FAILURE:
                logger.error("worker %d could not start (exit code %d); stopping", pid, code)
                return False
            slot.quick_exits = slot.quick_exits + 1 if now - slot.started < MIN_UPTIME else 0
            delay = min(MAX_BACKOFF, 2.0 ** (slot.quick_exits - 1)) if slot.quick_exits else 0.0
            slot.restart_at = now + delay
            logger.warning(
                "worker %d exited (code %d); restarting it%s", pid, code, f" in {delay:g} s" if delay else ""
            )
        if slot.process is None and slot.restart_at is not None and now >= slot.restart_at:
            self._start(slot)
        return True

    def _stop(self) -> None:
        """SIGTERM to each worker, SIGKILL to those still running after STOP_TIMEOUT; then close the sockets."""
        running = [slot.process for slot in self.slots if slot.process is not None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in running:
            if process.exitcode is None:
                logger.warning("worker %s did not stop within %g s; killing it", process.pid, STOP_TIMEOUT)
                process.kill()
                process.join()
            process.close()
        for sock in {id(sock): sock for sock in self.sockets}.values():
            sock.close()
