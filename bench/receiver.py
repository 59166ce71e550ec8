"""A lean webhook receiver for benches: HTTP/1.1 POSTs on kept-alive connections, read by
one asyncio thread, answered ``200`` with an empty body, and recorded for the bench to
check afterwards (every delivery arrived, each signed).

It stands in for a third party that answers at once, so that the bench measures the
sender: a ``ThreadingHTTPServer`` spends a thread per connection and parses each request's
headers with the ``email`` package, more CPU per request than the worker that sends it.
The request framing is read as HTTP/1.1 defines it: a head ending in an empty line, a
``Content-Length`` body (a chunked body is refused: 411, connection closed), requests
pipelined on one connection answered in order, ``Connection: close`` (and HTTP/1.0
without keep-alive) closing after the answer.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
MAX_HEAD = 64 * 1024


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST as received: its headers (names in lower case) and body."""

    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A running receiver: the URL to post to and what it received so far."""

    url: str
    received: list[Delivery] = field(default_factory=list)


class _Connection(asyncio.Protocol):
    def __init__(self, received: list[Delivery]) -> None:
        self.received = received
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None and self._answer_one():
            pass

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def _answer_one(self) -> bool:
        """Answer the first complete request in the buffer; False when there is none."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self._refuse(b"431 Request Header Fields Too Large")
            return False
        request_line, *lines = self.buffer[:end].decode("latin-1").split("\r\n")
        parts = request_line.split(" ")
        headers: dict[str, str] = {}
        for line in lines:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                self._refuse(b"400 Bad Request")
                return False
            headers[name.lower()] = value.strip()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            self._refuse(b"400 Bad Request")
            return False
        if "transfer-encoding" in headers:
            self._refuse(b"411 Length Required")
            return False
        length = headers.get("content-length", "0")
        if not length.isdigit():
            self._refuse(b"400 Bad Request")
            return False
        start, stop = end + 4, end + 4 + int(length)
        if len(self.buffer) < stop:
            return False
        body = bytes(self.buffer[start:stop])
        del self.buffer[:stop]
        if parts[0] == "POST":
            self.received.append(Delivery(headers, body))
            answer = OK
        else:
            answer = b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
        assert self.transport is not None
        self.transport.write(answer)
        connection = headers.get("connection", "").lower()
        if connection == "close" or (parts[2] == "HTTP/1.0" and connection != "keep-alive"):
            self.transport.close()
            return False
        return True

    def _refuse(self, status: bytes) -> None:
        assert self.transport is not None
        self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n\r\n")
        self.transport.close()
        self.buffer.clear()


def start_receiver() -> Receiver:
    """A receiver on a free loopback port, served by a daemon thread until the process
    ends."""
    started = threading.Event()
    receiver: list[Receiver] = []

    async def serve() -> None:
        received: list[Delivery] = []
        server = await asyncio.get_running_loop().create_server(
            lambda: _Connection(received), "127.0.0.1", 0
        )
        port = server.sockets[0].getsockname()[1]
        receiver.append(Receiver(f"http://127.0.0.1:{port}/hook", received))
        started.set()
        await server.serve_forever()

    threading.Thread(target=asyncio.run, args=(serve(),), daemon=True).start()
    started.wait()
    return receiver[0]
