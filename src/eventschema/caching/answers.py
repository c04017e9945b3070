"""Whole answers to the API's busiest reads, kept per key and URL and sent again while nothing they show changed.

The lists and pages of event schemas and property groups show groups, their properties, their linked events and
their creators: every write of any of these is a schema change of the project (`enforcement.changes`), a user's
rename included. Who may read them is what keys, memberships and project API keys allow: every write of those is a
credential change. So an answer made after reading (credentials revision, schema version of the project) is the
right answer for as long as both still read the same, on whatever process the write was made.

`FastReads` sits in front of the routes. For a GET of such a URL with a key in its Authorization header:

- known answer: it reads the two revisions (`caching.revisions`: one statement, shared by the requests waiting at
  the same moment and sent after this one arrived), and if they are those the answer was made at, it applies the
  checks a route would (failed sign-ins of the address, the key's rate limit, recording the key's use hourly) and
  sends the kept bytes, with a 304 for a matching `If-None-Match`. Anything else goes to the routes.
- unknown or stale answer: the revisions are read first, then the routes answer as always; a complete 200 of a key
  (not a console session) is kept with those revisions. A write committed in between makes the kept answer stale,
  never wrong: its revisions are older than the write.

Answers are kept no longer than a checked key is (`auth_cache_seconds`; 0 turns this off) and are bounded in bytes;
past the bound, the least recently used go. Notifications of changes only free their memory early.
"""

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventschema.auth import service as auth_service
from eventschema.auth.keys import hash_key
from eventschema.caching.lru import ByteLRU
from eventschema.caching.revisions import Revisions, Snapshot
from eventschema.dependencies import ANSWERED_FOR_STATE, client_address, record_key_use
from eventschema.enforcement import changes
from eventschema.http.etag import matches, not_modified_headers
from eventschema.models import utcnow

# The routes whose answers only schema and credential changes move.
ROUTES = re.compile(
    r"/api/projects/(?P<project>[0-9]{1,9})/(?:event_schemas|schema_property_groups)/(?:[0-9A-Fa-f-]{32,36}/)?"
)
# What an answer's bytes depend on besides the revisions: the URL as the client wrote it (pagination links are
# absolute) and the key.
URL_HEADERS = (b"host", b"x-forwarded-proto", b"x-forwarded-host")
ENTRY_OVERHEAD = 400  # the key, the headers and the entry around the body

Key = tuple[int, str, bytes, bytes, str, tuple[bytes, ...]]  # project id first, for `invalidate`


@dataclass(slots=True)
class Answer:
    project_id: int
    credentials: int
    version: int
    expires: float
    key_id: str
    last_used_at: datetime | None
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    tag: str | None


class AnswerCache:
    def __init__(self, max_bytes: int, seconds: float) -> None:
        self.seconds = seconds
        self.entries: ByteLRU[Key, Answer] = ByteLRU(max_bytes)
        self._generation = 0
        # Answers being made, by key: requests for the same one wait for it (see `FastReads`).
        self.building: dict[Key, asyncio.Event] = {}
        changes.subscribe(self)
        changes.subscribe_credentials(self)

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, key: Key) -> Answer | None:
        answer = self.entries.get(key)
        if answer is not None and answer.expires <= time.monotonic():
            self.entries.pop(key)
            return None
        return answer

    def put(self, key: Key, answer: Answer, generation: int) -> None:
        if generation == self._generation:
            size = len(answer.body) + sum(len(k) + len(v) for k, v in answer.headers) + ENTRY_OVERHEAD
            self.entries.put(key, answer, size)

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        self.entries.drop(lambda key: key[0] == project_id)

    def forget_credentials(self) -> None:
        self._generation += 1
        self.entries.clear()


def _bearer(value: bytes) -> str | None:
    """The key of an Authorization header, read as the routes read it (`dependencies._presented_key`)."""
    scheme, _, key = value.decode("latin-1").strip().partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


class FastReads:
    """See the module docstring. `app` is the rest of the application, whose state holds what the routes use."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answers: AnswerCache | None = getattr(self.state, "answers", None)
        if answers is None or scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        matched = ROUTES.fullmatch(path if path.endswith("/") else path + "/")
        if matched is None:
            await self.app(scope, receive, send)
            return
        authorization = if_none_match = None
        url_headers: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"if-none-match":
                if_none_match = value
            elif name in URL_HEADERS:
                url_headers.append(name + b":" + value)
        presented = _bearer(authorization) if authorization is not None else None
        if presented is None:
            await self.app(scope, receive, send)
            return
        project_id = int(matched["project"])
        key: Key = (
            project_id,
            hash_key(presented),
            scope.get("raw_path") or path.encode(),
            scope.get("query_string", b""),
            scope.get("scheme", "http"),
            tuple(url_headers),
        )
        revisions: Revisions = self.state.revisions
        answer = answers.get(key)
        building = answers.building.get(key) if answer is None else None
        if building is not None:
            # The same answer is being made: wait for it rather than make it again (a burst of requests after a
            # change, or at start-up, would otherwise all run the route). Used only if its revisions are current.
            await building.wait()
            answer = answers.get(key)
        snapshot: Snapshot | None = None
        if answer is not None and not self._address_waits(scope):
            snapshot = await revisions.read(project_id)
            if snapshot.credentials == answer.credentials and snapshot.version(project_id) == answer.version:
                limiter = self.state.rate_limiter
                if limiter is None or not limiter.check(answer.key_id):
                    await self._send(answer, if_none_match, send)
                    return
            elif snapshot.credentials >= answer.credentials and snapshot.version(project_id) >= answer.version:
                answers.entries.pop(key)  # stale (and not one made after this request's read)
        made = None if key in answers.building else answers.building.setdefault(key, asyncio.Event())
        try:
            await self._answer_and_keep(scope, receive, send, key, project_id, snapshot, made)
        finally:
            if made is not None:
                del answers.building[key]
                made.set()

    def _address_waits(self, scope: Scope) -> bool:
        """Whether the client's address is held back for failed sign-ins (then the routes refuse it)."""
        attempts = self.state.failed_attempts
        if attempts is None:
            return False
        return bool(attempts.wait(client_address(Request(scope))))

    async def _send(self, answer: Answer, if_none_match: bytes | None, send: Send) -> None:
        now = utcnow()
        touch = auth_service.key_use_due(answer.last_used_at, now)
        if touch:
            answer.last_used_at = now
        if if_none_match is not None and answer.tag and matches(if_none_match.decode("latin-1"), answer.tag):
            headers = not_modified_headers(answer.headers)
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
        else:
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
        if touch:
            await record_key_use(self.state.database, answer.key_id)

    async def _answer_and_keep(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: Key,
        project_id: int,
        snapshot: Snapshot | None,
        made: asyncio.Event | None,
    ) -> None:
        """Let the routes answer; keep a complete 200 of a key, before it is sent (so those waiting for it in `made`
        need not wait for this client to read it)."""
        answers: AnswerCache = self.state.answers
        generation = answers.generation
        if snapshot is None:
            snapshot = await self.state.revisions.read(project_id)
        state = scope.setdefault("state", {})
        start: Message | None = None

        async def keep_and_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                if not message.get("more_body", False):  # an answer sent in parts is not kept
                    self._keep(key, project_id, snapshot, start, message.get("body", b""), state, generation)
                start = None
                if made is not None:
                    made.set()
            await send(message)

        await self.app(scope, receive, keep_and_send)

    def _keep(
        self,
        key: Key,
        project_id: int,
        snapshot: Snapshot,
        start: Message,
        body: bytes,
        state: dict[str, Any],
        generation: int,
    ) -> None:
        answered_for = state.get(ANSWERED_FOR_STATE)
        headers = list(start.get("headers", []))
        if start["status"] != 200 or answered_for is None or any(name == b"set-cookie" for name, _ in headers):
            return
        answers: AnswerCache = self.state.answers
        key_id, last_used_at = answered_for
        tag = next((value.decode("latin-1") for name, value in headers if name == b"etag"), None)
        answer = Answer(
            project_id=project_id,
            credentials=snapshot.credentials,
            version=snapshot.version(project_id),
            expires=time.monotonic() + answers.seconds,
            key_id=key_id,
            last_used_at=last_used_at,
            status=200,
            headers=headers,
            body=body,
            tag=tag,
        )
        answers.put(key, answer, generation)
