"""Webhook POSTs over kept-alive connections: one connection per receiver serves many
POSTs, a connection the receiver closed is replaced before it is used, a request the
receiver dropped as it closed a kept-alive connection is sent again on a new one, and an
answer that is not 2xx fails the delivery with its status and text."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dealflow.crm.webhooks.delivery import DeliveryFailedError, post_signed


@dataclass
class KeepAliveReceiver:
    """An HTTP/1.1 receiver on loopback that counts the connections it accepted."""

    url: str = ""
    connections: int = 0
    bodies: list[bytes] = field(default_factory=list)
    status: int = 200
    close_after_answer: bool = False
    drop_request: int | None = None
    """Close each connection on this request (1: its first) without answering it, as when
    an idle timeout ends just as a request arrives."""
    closed: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def keep_alive() -> Iterator[KeepAliveReceiver]:
    receiver = KeepAliveReceiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            receiver.connections += 1
            self.requests_here = 0

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            self.requests_here += 1
            if self.requests_here == receiver.drop_request:
                self.close_connection = True  # closed, with no answer
                return
            receiver.bodies.append(body)
            text = b"" if receiver.status == 200 else b"try later"
            self.send_response(receiver.status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)
            self.close_connection = receiver.close_after_answer

        def log_message(self, *_args: Any) -> None:
            return

    class Server(ThreadingHTTPServer):
        def shutdown_request(self, request: Any) -> None:
            super().shutdown_request(request)
            receiver.closed.set()

    server = Server(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook?source=test"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield receiver
    server.shutdown()
    server.server_close()


def test_posts_to_one_receiver_share_a_connection(keep_alive: KeepAliveReceiver) -> None:
    for number in range(5):
        post_signed(keep_alive.url, "s" * 20, {"n": number}, {})
    assert keep_alive.bodies == [f'{{"n":{n}}}'.encode() for n in range(5)]
    assert keep_alive.connections == 1


def test_a_connection_the_receiver_closed_is_replaced(keep_alive: KeepAliveReceiver) -> None:
    keep_alive.close_after_answer = True  # as a receiver does after an idle timeout
    for number in range(3):
        post_signed(keep_alive.url, "s" * 20, {"n": number}, {})
        assert keep_alive.closed.wait(5)
        keep_alive.closed.clear()
    assert len(keep_alive.bodies) == 3  # each sent once, none lost on a closed connection
    assert keep_alive.connections == 3


def test_a_request_dropped_as_the_receiver_closes_is_sent_again_on_a_new_connection(
    keep_alive: KeepAliveReceiver,
) -> None:
    keep_alive.drop_request = 2
    for number in range(3):
        post_signed(keep_alive.url, "s" * 20, {"n": number}, {})  # none fails
    assert keep_alive.bodies == [b'{"n":0}', b'{"n":1}', b'{"n":2}']
    # n=1 dropped on the first connection, answered on the second; n=2 likewise on the third
    assert keep_alive.connections == 3


def test_a_request_dropped_on_a_new_connection_fails_without_a_second_copy(
    keep_alive: KeepAliveReceiver,
) -> None:
    keep_alive.drop_request = 1  # not a closing kept-alive connection: the receiver's fault
    with pytest.raises(DeliveryFailedError, match="RemoteDisconnected"):
        post_signed(keep_alive.url, "s" * 20, {}, {})
    assert keep_alive.connections == 1


def test_an_answer_not_2xx_fails_with_its_status_and_text(keep_alive: KeepAliveReceiver) -> None:
    keep_alive.status = 503
    with pytest.raises(DeliveryFailedError, match="answered 503: try later"):
        post_signed(keep_alive.url, "s" * 20, {}, {})


def test_no_receiver_fails_the_delivery() -> None:
    with pytest.raises(DeliveryFailedError, match="ConnectionRefusedError"):
        post_signed("http://127.0.0.1:9/hook", "s" * 20, {}, {})
