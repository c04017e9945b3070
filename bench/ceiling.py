"""The ceiling of the API benchmark: the same answers, precomputed, served under the same server options.

    python bench/ceiling.py capture BASE_URL API_KEY DIR     record what eventschema answers to the benchmark
    python bench/ceiling.py serve DIR --port PORT [--workers 2]

`capture` asks a running eventschema server every request bench/run_api_bench.sh's load test sends (the three
list pages, the probe it drains with, one create) and writes each answer (status, content type, body) to DIR.
`serve` answers those requests with those bytes from a bare ASGI app: no routing beyond one dict lookup, no
authentication, no database. It runs under uvicorn with eventschema's own worker options and sockets (one
SO_REUSEPORT socket per worker, uvloop, httptools, no access log), so the difference between the two servers'
figures is what eventschema's own work costs. A POST is answered with the recorded create response after its
body has been read.
"""

import argparse
import json
import multiprocessing
import os
import signal
import sys
import urllib.request
from pathlib import Path
from typing import Any

PROJECT = "/api/projects/1"
GETS = (
    f"{PROJECT}/event_schemas/?limit=100",
    f"{PROJECT}/schema_property_groups/?limit=100",
    f"{PROJECT}/event_schemas/?limit=10",
    f"{PROJECT}/event_schemas/?limit=1",
)
CREATE = f"{PROJECT}/schema_property_groups/"
CREATE_BODY = {
    "name": "zzbench_ceiling_capture",
    "description": "captured for the ceiling",
    "properties": [{"name": f"prop_{i}", "property_type": "String", "is_required": i == 0} for i in range(5)],
}


def capture(base_url: str, key: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    answers: dict[str, dict[str, Any]] = {}
    requests = [("GET", path, None) for path in GETS] + [("POST", CREATE, json.dumps(CREATE_BODY).encode())]
    for index, (method, path, body) in enumerate(requests):
        request = urllib.request.Request(base_url.rstrip("/") + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {key}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request) as response:
            payload = response.read()
            status, content_type = response.status, response.headers.get("content-type", "application/json")
        (out / f"{index}.body").write_bytes(payload)
        answers[f"{method} {path}"] = {"status": status, "content_type": content_type, "body": f"{index}.body"}
    (out / "answers.json").write_text(json.dumps(answers, indent=2))


class Ceiling:
    """An ASGI app answering recorded requests with recorded bytes."""

    def __init__(self, directory: Path) -> None:
        answers = json.loads((directory / "answers.json").read_text())
        self.answers: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = {}
        for key, answer in answers.items():
            body = (directory / answer["body"]).read_bytes()
            headers = [
                (b"content-type", answer["content_type"].encode()),
                (b"content-length", str(len(body)).encode()),
            ]
            self.answers[key] = (answer["status"], headers, body)
        self.missing = (404, [(b"content-type", b"text/plain"), (b"content-length", b"9")], b"not found")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        query = scope["query_string"].decode()
        key = f"{scope['method']} {scope['path']}" + (f"?{query}" if query else "")
        more = True
        while more:  # read the request body, as a real server must
            message = await receive()
            more = message.get("more_body", False)
        status, headers, body = self.answers.get(key, self.missing)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _worker(directory: Path, sock: Any) -> None:
    import uvicorn

    from eventschema.cli.workers import SERVER_OPTIONS

    config = uvicorn.Config(Ceiling(directory), **SERVER_OPTIONS)  # type: ignore[arg-type]
    uvicorn.Server(config).run(sockets=[sock])


def serve(directory: Path, port: int, workers: int) -> None:
    from eventschema.cli.workers import bind_sockets

    sockets = bind_sockets("127.0.0.1", port, workers)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_worker, args=(directory, sock)) for sock in sockets]
    for process in processes:
        process.start()
    print(f"ceiling serving {directory} on 127.0.0.1:{port} with {workers} workers", flush=True)

    def stop(*_: object) -> None:
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    capture_parser = commands.add_parser("capture")
    capture_parser.add_argument("base_url")
    capture_parser.add_argument("key")
    capture_parser.add_argument("directory", type=Path)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("directory", type=Path)
    serve_parser.add_argument("--port", type=int, required=True)
    serve_parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.base_url, args.key, args.directory)
    else:
        serve(args.directory, args.port, args.workers)


if __name__ == "__main__":
    sys.exit(main())
