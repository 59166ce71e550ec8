"""Keep-alive HTTP connections for webhook POSTs, one set per sending thread.

A webhook POST is small and its receiver usually answers at once, so the client's own cost
per request is what limits a batch: the standard library's ``http.client`` costs a few
times less than httpx per request. Each thread keeps one open connection per
(scheme, host, port); a connection the receiver closed meanwhile is replaced before it is
used. A receiver may still close a kept-alive connection just as a request goes out on it
(its idle timeout ends then): that request, which got no answer, is sent once more on a new
connection, as browsers and urllib3 do, rather than failing the delivery until its retry
(the delivery id lets a receiver that did see the first copy drop the second). HTTPS uses the
same certificate checks as httpx (``httpx.create_ssl_context``); a URL that the
environment routes through a proxy (``HTTP(S)_PROXY``, ``NO_PROXY``) is sent with httpx,
which honours it.
"""

from __future__ import annotations

import http.client
import select
import threading
import urllib.request
from dataclasses import dataclass
from functools import cache
from ssl import SSLContext
from urllib.parse import urlsplit

import httpx

TIMEOUT_SECONDS = 10.0
"""For connecting, and then for each read or write (httpx's ``Timeout(10.0)``)."""

Origin = tuple[str, str, int]


@dataclass(frozen=True)
class Answer:
    """What the receiver answered: its status and the start of its body (for errors)."""

    status: int
    text: str

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


class _OpenConnections(threading.local):
    def __init__(self) -> None:
        self.by_origin: dict[Origin, http.client.HTTPConnection] = {}


_open = _OpenConnections()


def post(url: str, content: bytes, headers: dict[str, str]) -> Answer:
    """POST ``content`` to ``url`` over this thread's connection to its origin. Raises
    OSError, ``http.client.HTTPException`` or ``httpx.HTTPError`` when no answer came."""
    parts = urlsplit(url)
    if _proxied(parts.scheme, parts.hostname or ""):
        proxied = _proxy_client().post(url, content=content, headers=headers)
        return Answer(proxied.status_code, proxied.text[:200])
    origin = (parts.scheme, parts.hostname or "", parts.port or _DEFAULT_PORTS[parts.scheme])
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    connection = _connection(origin)
    if connection.sock is not None:  # kept alive: the receiver may be closing it right now
        try:
            return _exchange(origin, connection, target, content, headers)
        except _CLOSED_UNDER_US:
            connection = _connection(origin)
    return _exchange(origin, connection, target, content, headers)


_CLOSED_UNDER_US = (ConnectionResetError, BrokenPipeError)
"""How a request on a connection the receiver was closing fails (``RemoteDisconnected``, the
connection closed before any answer, is a ConnectionResetError)."""


def _exchange(
    origin: Origin,
    connection: http.client.HTTPConnection,
    target: str,
    content: bytes,
    headers: dict[str, str],
) -> Answer:
    """POST on ``connection`` and read the whole answer; on any failure the connection is
    closed and forgotten, so the next request to ``origin`` opens a new one."""
    try:
        connection.request("POST", target, body=content, headers=headers)
        response = connection.getresponse()
        body = response.read()
    except BaseException:
        connection.close()
        _open.by_origin.pop(origin, None)
        raise
    return Answer(response.status, body.decode("utf-8", "replace")[:200])


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _connection(origin: Origin) -> http.client.HTTPConnection:
    """This thread's open connection to ``origin`` (a new one when there is none, or when
    the receiver closed it: a closed socket reads as ready)."""
    connection = _open.by_origin.get(origin)
    if connection is not None and connection.sock is not None:
        readable, _, _ = select.select([connection.sock], [], [], 0)
        if readable:
            connection.close()
    if connection is None:
        scheme, host, port = origin
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                host, port, timeout=TIMEOUT_SECONDS, context=_tls()
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
        _open.by_origin[origin] = connection
    return connection  # a closed connection opens again on its next request


def _proxied(scheme: str, host: str) -> bool:
    proxies = _environment_proxies()
    if scheme not in proxies and "all" not in proxies:
        return False
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return not bypass(host, proxies)


@cache
def _environment_proxies() -> dict[str, str]:
    """The proxies the environment sets, read once per process (as httpx's client did)."""
    return urllib.request.getproxies_environment()


@cache
def _tls() -> SSLContext:
    """One TLS context per process (building one costs tens of milliseconds)."""
    return httpx.create_ssl_context()


@cache
def _proxy_client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(TIMEOUT_SECONDS))
