"""The safe fetcher: real HTTP with httpx, within the policy's limits, robots.txt obeyed.

Every hop is checked before it is made: the URL's scheme, the addresses its host resolves
to (see ``addresses``), robots.txt, the redirect count. Redirects are followed by hand so
each new location is checked the same way. A page that breaks a rule raises
FetchRefusedError naming the URL and why; nothing is ever half-trusted.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.robotparser import RobotFileParser

import httpx

from dealflow.core import clock
from dealflow.personalize.prospecting.addresses import Resolver, check_url, resolve_host
from dealflow.personalize.prospecting.errors import FetchRefusedError
from dealflow.personalize.prospecting.pacing import Pacer, Sleep
from dealflow.personalize.prospecting.policy import ROBOTS_AGENT, FetchPolicy

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500_000
MAX_CRAWL_DELAY_S = 30.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class Page:
    """One fetched page: where it ended up, what it said, and when it was read."""

    url: str
    """The final URL (after redirects)."""
    requested_url: str
    content_type: str
    text: str
    fetched_at: datetime
    truncated: bool = False
    redirects: tuple[str, ...] = ()


@dataclass
class _Robots:
    parser: RobotFileParser | None
    """None: everything is disallowed (robots.txt could not be read)."""
    reason: str = ""


@dataclass
class SafeFetcher:
    """Reads pages for the prospecting agent; one instance per research run."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    client: httpx.Client | None = None
    sleep: Sleep = time.sleep
    resolve: Resolver = resolve_host

    def __post_init__(self) -> None:
        self._own_client = self.client is None
        self._client = self.client or new_client(self.policy)
        self._pacer = Pacer(self.policy.delay_s, self.sleep)
        self._robots: dict[str, _Robots] = {}

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> Page:
        """The page at ``url`` (following checked redirects), or FetchRefusedError."""
        return self._get(url, self.policy.max_bytes, check_robots=True)

    def _get(self, url: str, max_bytes: int, *, check_robots: bool) -> Page:
        current = url
        hops: list[str] = []
        while True:
            target = check_url(current, self.policy.allowed, self.resolve)
            if check_robots:
                self._obey_robots(target.url)
            response = self._send(target.url, target.pinned_url)
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    hops.append(current)
                    if len(hops) > self.policy.max_redirects:
                        raise FetchRefusedError(
                            url, f"more than {self.policy.max_redirects} redirects"
                        )
                    current = str(target.url.join(response.headers["location"]))
                    continue
                return self._read(response, url, current, tuple(hops), max_bytes)
            finally:
                response.close()

    def _send(self, url: httpx.URL, pinned: httpx.URL) -> httpx.Response:
        host = url.host
        self._pacer.wait_for(f"{host}:{url.port}")
        host_header = host if url.port is None else f"{host}:{url.port}"
        if ":" in host:
            host_header = f"[{host}]" + (f":{url.port}" if url.port else "")
        request = self._client.build_request(
            "GET",
            pinned,
            headers={
                "Host": host_header,
                "User-Agent": self.policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8",
            },
            extensions={"sni_hostname": host},
        )
        try:
            return self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchRefusedError(
                str(url), f"no answer within {self.policy.timeout_s:g} s"
            ) from None
        except httpx.HTTPError as error:
            raise FetchRefusedError(str(url), f"no connection ({error})") from None

    def _read(
        self,
        response: httpx.Response,
        asked: str,
        final: str,
        hops: tuple[str, ...],
        max_bytes: int,
    ) -> Page:
        if not 200 <= response.status_code < 300:
            raise FetchRefusedError(final, f"the server answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in self.policy.content_types:
            raise FetchRefusedError(
                final, f"content type {content_type or 'unknown'!r} is not a web page"
            )
        body, truncated = self._body(response, final, max_bytes)
        text = decode(body, response.headers.get("content-type", ""))
        return Page(final, asked, content_type, text, clock.now(), truncated, hops)

    def _body(self, response: httpx.Response, url: str, max_bytes: int) -> tuple[bytes, bool]:
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= max_bytes:
                    return b"".join(chunks)[:max_bytes], True
                if time.monotonic() - started > self.policy.deadline_s:
                    raise FetchRefusedError(
                        url, f"took longer than {self.policy.deadline_s:g} s to send"
                    )
        except httpx.TimeoutException:
            raise FetchRefusedError(url, f"stalled for {self.policy.timeout_s:g} s") from None
        except httpx.HTTPError as error:
            raise FetchRefusedError(url, f"broke off while sending ({error})") from None
        return b"".join(chunks), False

    def _obey_robots(self, url: httpx.URL) -> None:
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        robots = self._robots.get(origin)
        if robots is None:
            robots = self._robots[origin] = self._read_robots(origin)
            delay = robots.parser.crawl_delay(ROBOTS_AGENT) if robots.parser else None
            if delay:
                self._pacer.slow_down(
                    f"{url.host}:{url.port}", min(float(delay), MAX_CRAWL_DELAY_S)
                )
        if robots.parser is None:
            raise FetchRefusedError(str(url), robots.reason)
        if not robots.parser.can_fetch(ROBOTS_AGENT, str(url)):
            raise FetchRefusedError(str(url), "robots.txt does not allow it")

    def _read_robots(self, origin: str) -> _Robots:
        """robots.txt as RFC 9309 says: missing (4xx) allows all; unreachable allows none."""
        parser = RobotFileParser()
        try:
            page = self._get(f"{origin}/robots.txt", ROBOTS_MAX_BYTES, check_robots=False)
        except FetchRefusedError as error:
            if re.search(r"answered HTTP 4\d\d$", error.reason) or "content type" in error.reason:
                parser.parse([])
                return _Robots(parser)
            return _Robots(None, f"robots.txt could not be read: {error.reason}")
        parser.parse(page.text.splitlines())
        return _Robots(parser)


def new_client(policy: FetchPolicy) -> httpx.Client:
    """An HTTP client for the fetcher: no automatic redirects, no proxies from the
    environment (a proxy would connect on our behalf, past the address checks)."""
    return httpx.Client(timeout=policy.timeout_s, follow_redirects=False, trust_env=False)


def decode(body: bytes, content_type: str) -> str:
    """The text of ``body``: the charset the header or a <meta> names, else UTF-8, else
    Windows-1252 (which decodes any byte); undecodable bytes become U+FFFD."""
    declared = re.search(r"charset=([^\s;]+)", content_type, re.I)
    names = [declared.group(1).strip("\"'")] if declared else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        names.append(meta.group(1).decode("ascii", "replace"))
    for name in names:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")
