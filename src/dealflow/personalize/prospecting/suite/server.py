"""A real HTTP server on loopback that serves a scripted website (for the injection suite,
the tests and the benchmark). Each path answers with a fixed response or a generator of
chunks sent with pauses (a slow server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What one path answers: status, headers and body (or chunks, each after ``pause_s``)."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    chunks: Callable[[], Iterator[bytes]] | None = None
    pause_s: float = 0.0

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that does not print a client hanging up early (the fetcher
    does that on purpose when a page breaks a limit)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


class LocalSite:
    """``with LocalSite({"/": Reply("<p>hi</p>")}) as site: site.url("/")``.

    Paths not in the site answer 404; every request's path is kept in ``requests``.
    """

    def __init__(self, replies: Mapping[str, Reply]) -> None:
        self.replies = dict(replies)
        self.requests: list[str] = []
        self._server = QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,))
        self._thread.daemon = True

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def target(self) -> str:
        """The allow-list entry that admits this server and nothing else on loopback."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                site.requests.append(self.path)
                reply = site.replies.get(self.path.split("?")[0]) or Reply("not here", 404)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks is None:
                    payload = reply.payload()
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for chunk in reply.chunks():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        time.sleep(reply.pause_s)
                except (BrokenPipeError, ConnectionResetError):
                    return
                self.close_connection = True

            def log_message(self, *_args: Any) -> None:
                return

        return Handler
