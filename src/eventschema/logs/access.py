"""The access log: one line per HTTP request, written when the response is complete.

A pure ASGI wrapper around the whole app, so it sees every answer, including the 500s of errors nothing handled,
and costs two clock reads and one log record per request. Only the path is logged, never the query string: it
may carry a `personal_api_key`.
"""

import logging
from time import perf_counter
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER: Final = "eventschema.access"
logger = logging.getLogger(ACCESS_LOGGER)


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        status = 500  # if the app fails before it answers, the server answers 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            duration_ms = round((perf_counter() - start) * 1000, 2)
            client = scope.get("client")
            peer = f"{client[0]}:{client[1]}" if client else "-"
            method, path = scope["method"], scope["path"]
            logger.info(
                "%s %s %d %.2fms %s",
                method,
                path,
                status,
                duration_ms,
                peer,
                extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms, "client": peer},
            )
