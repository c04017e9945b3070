"""Nothing stale on any worker: a real `eventschema serve --workers 2` on both back ends, a write through one
worker, and at once a read of every list that shows it through both (each read on a keep-alive connection known,
from /proc, to be served by that worker). Key changes are made by the command line, a third process that on
SQLite notifies nobody: the next request on every worker is refused all the same."""

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.servers import serving
from tests.cli.helpers import database_url, run_cli_sync

__all__ = ["database_url"]

MAX_CONNECTIONS = 64


def _socket_inodes_by_pid() -> dict[str, int]:
    """socket inode -> pid, for the processes this user may look into."""
    found: dict[str, int] = {}
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            for fd in (process / "fd").iterdir():
                target = fd.readlink().as_posix()
                if target.startswith("socket:["):
                    found[target[8:-1]] = int(process.name)
        except OSError:
            continue
    return found


def _server_pid(connection: http.client.HTTPConnection, server_port: int) -> int:
    """The pid of the process holding the server's end of `connection`."""
    assert connection.sock is not None
    client_port = connection.sock.getsockname()[1]
    owners = _socket_inodes_by_pid()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            return owners[inode]
    raise AssertionError(f"no server socket for client port {client_port}")


def _connect(port: int) -> tuple[http.client.HTTPConnection, int]:
    """A new keep-alive connection and the pid of the worker that took it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/_health")
    connection.getresponse().read()
    return connection, _server_pid(connection, port)


class Worker:
    """Requests to one worker, on a keep-alive connection it took; when the worker closes an idle one, new
    connections are opened until that worker takes one again."""

    def __init__(self, connection: http.client.HTTPConnection, pid: int, port: int) -> None:
        self.connection, self.pid, self.port = connection, pid, port

    def _reconnect(self) -> None:
        self.connection.close()
        for _ in range(MAX_CONNECTIONS):
            connection, pid = _connect(self.port)
            if pid == self.pid:
                self.connection = connection
                return
            connection.close()
        raise AssertionError(f"worker {self.pid} took none of {MAX_CONNECTIONS} connections")

    def request(self, method: str, path: str, key: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if self.connection.sock is None:
            self._reconnect()
        try:
            self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):  # closed while idle (keep-alive timeout)
            self._reconnect()
            self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        assert _server_pid(self.connection, self.port) == self.pid
        return response.status, json.loads(data) if data else None


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[tuple[list[Worker], dict[str, Any], str]]:
    created = run_cli_sync("bootstrap", "--json", database_url=database_url, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    account = json.loads(created.stdout)
    # Keys kept for ten minutes: only the per-request check, not their expiry, can make a change seen.
    with serving(database_url, tmp_path, "--workers", "2", EVENTSCHEMA_AUTH_CACHE_SECONDS="600") as host:
        port = int(host.rsplit(":", 1)[1])
        by_pid: dict[int, Worker] = {}
        opened = []
        while len(by_pid) < 2:  # new connections land on either worker (SO_REUSEPORT): open until both answered
            assert len(opened) < MAX_CONNECTIONS, "every connection went to one worker"
            connection, pid = _connect(port)
            opened.append(connection)
            by_pid.setdefault(pid, Worker(connection, pid, port))
        try:
            yield list(by_pid.values()), account, database_url
        finally:
            for connection in [*opened, *(worker.connection for worker in by_pid.values())]:
                connection.close()


def _names(body: Any, *path: str) -> list[str]:
    """Every `name` under `results`, following `path` into nested objects or lists."""
    values: list[Any] = body["results"]
    for step in path:
        nested: list[Any] = []
        for value in values:
            item = value[step]
            nested.extend(item if isinstance(item, list) else [item])
        values = nested
    return sorted(value["name"] for value in values)


def test_every_write_is_read_at_once_on_both_workers(workers, tmp_path: Path) -> None:
    (first, second), account, url = workers
    assert first.pid != second.pid
    key, base = account["api_key"], f"/api/projects/{account['project_id']}/"

    def write(worker: Worker, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, answer = worker.request(method, base + path, key, body)
        assert status in (200, 201, 204), answer
        return answer

    def read_everywhere(path: str) -> list[Any]:
        answers = []
        for worker in (first, second, first, second):  # twice each: a kept answer is the one checked
            status, answer = worker.request("GET", base + path, key)
            assert status == 200, answer
            answers.append(answer)
        return answers

    amount = [{"name": "amount", "property_type": "Numeric"}]
    group = write(first, "POST", "schema_property_groups/", {"name": "order", "properties": amount})
    event = write(first, "POST", "event_definitions/", {"name": "purchase"})
    link = write(first, "POST", "event_schemas/", {"event_definition": event["id"], "property_group_id": group["id"]})
    lists = ["schema_property_groups/", "event_schemas/", "event_definitions/", "event_definitions/json/", "plan/"]
    for path in lists:  # everything is kept by both workers now
        read_everywhere(path)

    # A group renamed through the second worker.
    write(second, "PATCH", f"schema_property_groups/{group['id']}/", {"name": "basket"})
    for answer in read_everywhere("schema_property_groups/"):
        assert _names(answer) == ["basket"]
    for answer in read_everywhere("event_schemas/"):
        assert _names(answer, "property_group") == ["basket"]
    for answer in read_everywhere("plan/"):
        assert "basket" in json.dumps(answer) and '"order"' not in json.dumps(answer)

    # A property renamed through the first.
    total = [{"name": "total", "property_type": "Numeric"}]
    write(first, "PATCH", f"schema_property_groups/{group['id']}/", {"properties": total})
    for answer in read_everywhere("schema_property_groups/"):
        assert _names(answer, "properties") == ["total"]
    for answer in read_everywhere("event_schemas/"):
        assert _names(answer, "property_group", "properties") == ["total"]
    for answer in read_everywhere("event_definitions/json/"):
        assert '\\"total\\"' in json.dumps(answer) and "amount" not in json.dumps(answer)
    for answer in read_everywhere("plan/"):
        assert "total" in json.dumps(answer) and "amount" not in json.dumps(answer)

    # An event definition renamed through the second.
    write(second, "PATCH", f"event_definitions/{event['id']}/", {"name": "checkout"})
    for answer in read_everywhere("event_definitions/"):
        assert _names(answer) == ["checkout"]
    for answer in read_everywhere("schema_property_groups/"):
        assert _names(answer, "events") == ["checkout"]
    for answer in read_everywhere("event_schemas/"):
        assert _names(answer, "property_group", "events") == ["checkout"]
    for path in ("event_definitions/json/", "plan/"):
        for answer in read_everywhere(path):
            assert "checkout" in json.dumps(answer) and "purchase" not in json.dumps(answer)

    # The name of the user shown as the groups' creator, changed by the command line (a third process).
    renamed = run_cli_sync("users", "rename", account["email"], "--first-name", "Grace", database_url=url, cwd=tmp_path)
    assert renamed.returncode == 0, renamed.stderr
    for answer in read_everywhere("schema_property_groups/"):
        assert [found["created_by"]["first_name"] for found in answer["results"]] == ["Grace"]
    for answer in read_everywhere("event_schemas/"):
        assert [found["property_group"]["created_by"]["first_name"] for found in answer["results"]] == ["Grace"]
    for worker in (first, second):
        status, me = worker.request("GET", "/api/users/@me/", key)
        assert (status, me["first_name"]) == (200, "Grace")

    # A link made through the first, then that link removed through the second.
    other = write(second, "POST", "schema_property_groups/", {"name": "coupon", "properties": []})
    for path in lists:
        read_everywhere(path)
    added = write(first, "POST", "event_schemas/", {"event_definition": event["id"], "property_group_id": other["id"]})
    for answer in read_everywhere("event_schemas/"):
        assert _names(answer, "property_group") == ["basket", "coupon"]
    for answer in read_everywhere("schema_property_groups/"):
        assert [len(group["events"]) for group in answer["results"]] == [1, 1]
    for answer in read_everywhere("plan/"):
        assert sorted(len(found["property_groups"]) for found in answer["events"].values()) == [2]
    write(second, "DELETE", f"event_schemas/{added['id']}/")
    for answer in read_everywhere("event_schemas/"):
        assert [found["id"] for found in answer["results"]] == [link["id"]]
    for answer in read_everywhere("schema_property_groups/"):
        assert [len(group["events"]) for group in answer["results"]] == [1, 0]
    for answer in read_everywhere("plan/"):
        assert sorted(len(found["property_groups"]) for found in answer["events"].values()) == [1]


def _key(url: str, tmp_path: Path, *args: str) -> tuple[str, str]:
    created = run_cli_sync("keys", "create", "--json", *args, database_url=url, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    answer = json.loads(created.stdout)
    return answer["id"], answer["api_key"]


def test_key_changes_are_applied_by_the_next_request_on_both_workers(workers, tmp_path: Path) -> None:
    (first, second), account, url = workers
    project, email = account["project_id"], account["email"]
    path = f"/api/projects/{project}/event_schemas/"
    revoked = _key(url, tmp_path, "--email", email, "--scopes", "*")
    reduced = _key(url, tmp_path, "--email", email, "--scopes", "*")
    moved = _key(url, tmp_path, "--email", email, "--scopes", "*", "--project", str(project))
    for _key_id, value in (revoked, reduced, moved):
        for worker in (first, second, first, second):  # kept by both workers
            assert worker.request("GET", path, value)[0] == 200

    changes = [
        (revoked, ["revoke", revoked[0]], 401),
        (reduced, ["update", reduced[0], "--scopes", "project:read"], 403),
        (moved, ["update", moved[0], "--project", str(project + 1000)], 403),
    ]
    for (_key_id, value), command, refused in changes:
        changed = run_cli_sync("keys", *command, database_url=url, cwd=tmp_path)
        assert changed.returncode == 0, changed.stderr
        for worker in (second, first, second, first):
            assert worker.request("GET", path, value)[0] == refused, command
    assert first.request("GET", path, account["api_key"])[0] == 200  # other keys keep working
