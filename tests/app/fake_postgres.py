"""A TCP server on 127.0.0.1 that speaks just enough of PostgreSQL's protocol to fail like a real one does
while it starts up or shuts down (asyncpg's CannotConnectNowError, AdminShutdown, ConnectionDoesNotExistError).
"""

import asyncio
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

Mode = Literal["starting_up", "shutting_down", "connection_lost"]
SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
PARAMETERS = {
    "server_version": "16.0",
    "server_encoding": "UTF8",
    "client_encoding": "UTF8",
    "DateStyle": "ISO, MDY",
    "TimeZone": "UTC",
    "integer_datetimes": "on",
    "standard_conforming_strings": "on",
}


def message(kind: bytes, payload: bytes = b"") -> bytes:
    return kind + struct.pack("!i", len(payload) + 4) + payload


def error_response(sqlstate: str, text: str) -> bytes:
    fields = [b"S", b"FATAL", b"V", b"FATAL", b"C", sqlstate.encode(), b"M", text.encode()]
    payload = b"".join(tag + value + b"\0" for tag, value in zip(fields[::2], fields[1::2], strict=True))
    return message(b"E", payload + b"\0")


def ready() -> bytes:
    parts = [message(b"R", struct.pack("!i", 0))]  # AuthenticationOk
    parts += [message(b"S", name.encode() + b"\0" + value.encode() + b"\0") for name, value in PARAMETERS.items()]
    parts.append(message(b"K", struct.pack("!ii", 4242, 1)))  # BackendKeyData
    parts.append(message(b"Z", b"I"))  # ReadyForQuery, idle
    return b"".join(parts)


async def _startup(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the startup message, declining SSL and GSS encryption first if they are asked for."""
    while True:
        length, code = struct.unpack("!ii", await reader.readexactly(8))
        if code in (SSL_REQUEST, GSSENC_REQUEST):
            writer.write(b"N")
            await writer.drain()
            continue
        await reader.readexactly(length - 8)
        return


class FakePostgres:
    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await _startup(reader, writer)
            if self.mode == "starting_up":
                writer.write(error_response("57P03", "the database system is starting up"))
            else:
                writer.write(ready())
                await writer.drain()
                await reader.read(1)  # the client's first query
                if self.mode == "shutting_down":
                    writer.write(error_response("57P01", "terminating connection due to administrator command"))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def fake_postgres(mode: Mode) -> AsyncIterator[str]:
    """The database URL of a fake server in that mode, closed on the way out."""
    fake = FakePostgres(mode)
    server = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/eventschema"
    finally:
        server.close()
        await server.wait_closed()
