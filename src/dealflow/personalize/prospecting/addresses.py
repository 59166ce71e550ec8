"""Where the fetcher may connect: public addresses only (no SSRF into the local network).

A host name is resolved once and every address it resolves to is checked; the request is
then sent to the checked address itself, so a second lookup (DNS rebinding) cannot swap in
an internal one. Private, loopback, link-local (cloud metadata), multicast, reserved and
shared ranges are refused unless an allow-list names them (``127.0.0.1:8123`` for one port,
``127.0.0.0/8`` for a network): tests and on-premises set-ups use it, nothing else does.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from dealflow.personalize.prospecting.errors import FetchRefusedError

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
SCHEMES = ("http", "https")
RESERVED_NAMES = (
    "test", "example", "invalid", "localhost", "local", "internal", "lan", "intranet",
    "corp", "home", "home.arpa",
)  # fmt: skip
"""Top-level names that are never a public website (RFC 2606, 6761, 6762, 8375, and the
ones networks use inside), refused without a DNS lookup (``metadata.google.internal``)."""


@dataclass(frozen=True)
class AllowedTarget:
    """A non-public network (and optionally one port) the fetcher may reach all the same."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> AllowedTarget:
        """``127.0.0.1:8123``, ``[::1]:8123``, ``127.0.0.0/8`` or ``::1``."""
        text = text.strip()
        host, port = text, None
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
        elif text.count(":") == 1:
            host, _, port_text = text.partition(":")
            port = int(port_text)
        try:
            return cls(ipaddress.ip_network(host, strict=False), port)
        except ValueError:
            raise FetchRefusedError(text, "not an address, network or address:port") from None

    def admits(self, address: IpAddress, port: int) -> bool:
        return address in self.network and (self.port is None or self.port == port)


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved and checked: connect to ``address`` only."""

    url: httpx.URL
    address: str

    @property
    def pinned_url(self) -> httpx.URL:
        """The URL with its host replaced by the checked address."""
        return self.url.copy_with(host=self.address.split("%")[0])


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefusedError(host, f"the host name does not resolve ({error})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(
    url: str | httpx.URL,
    allowed: Iterable[AllowedTarget] = (),
    resolve: Resolver = resolve_host,
) -> Target:
    """The checked target of ``url``, or FetchRefusedError naming the URL and why."""
    try:
        parsed = httpx.URL(str(url))
    except (httpx.InvalidURL, ValueError) as error:
        raise FetchRefusedError(str(url), f"not a valid URL ({error})") from None
    if parsed.scheme not in SCHEMES:
        raise FetchRefusedError(str(url), f"only http and https are fetched, not {parsed.scheme!r}")
    if not parsed.host:
        raise FetchRefusedError(str(url), "the URL has no host")
    if parsed.userinfo:
        raise FetchRefusedError(str(url), "URLs with a user name or password are not fetched")
    naming = name_problem(parsed.host)
    if naming:
        raise FetchRefusedError(str(url), naming)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = resolve(parsed.host, port)
    except FetchRefusedError as error:
        raise FetchRefusedError(str(url), error.reason) from None
    if not addresses:
        raise FetchRefusedError(str(url), "the host name does not resolve")
    allowed = tuple(allowed)
    for text in addresses:
        problem = address_problem(ipaddress.ip_address(text.split("%")[0]), port, allowed)
        if problem:
            raise FetchRefusedError(str(url), f"{parsed.host} resolves to {text}, {problem}")
    return Target(parsed, addresses[0])


def name_problem(host: str) -> str:
    """Why ``host`` cannot name a public website (empty when it may; addresses may)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return ""
    name = host.lower().rstrip(".")
    if "." not in name:
        return f"{host!r} is a local name, not a public website"
    if any(name == reserved or name.endswith("." + reserved) for reserved in RESERVED_NAMES):
        return f"{host!r} is a reserved or internal name, not a public website"
    return ""


def address_problem(address: IpAddress, port: int, allowed: Iterable[AllowedTarget]) -> str:
    """Why ``address`` may not be reached (empty when it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(target.admits(address, port) for target in allowed):
        return ""
    if address.is_multicast:
        return "a multicast address"
    if address.is_global and not (address.is_reserved or address.is_unspecified):
        return ""
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if address.is_private:
        return "a private-network address"
    return "not a public address"
