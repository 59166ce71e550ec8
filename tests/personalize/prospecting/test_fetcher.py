"""The safe fetcher against real servers on loopback: limits, robots.txt, redirects, SSRF."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta

import pytest

from dealflow.core.clock import FrozenClock
from dealflow.personalize.prospecting.addresses import AllowedTarget
from dealflow.personalize.prospecting.errors import FetchRefusedError
from dealflow.personalize.prospecting.fetcher import SafeFetcher, decode
from dealflow.personalize.prospecting.policy import FetchPolicy
from dealflow.personalize.prospecting.suite.server import LocalSite, Reply
from tests.personalize.prospecting.conftest import fetcher_for


def test_a_page_is_read_with_its_final_url_and_time(frozen_clock: FrozenClock) -> None:
    with LocalSite({"/": Reply("<p>Hello</p>")}) as site, fetcher_for(site) as fetcher:
        page = fetcher.fetch(site.url("/"))
    assert page.text == "<p>Hello</p>"
    assert page.url == site.url("/")
    assert page.fetched_at == frozen_clock.now()
    assert site.requests == ["/robots.txt", "/"]


def test_robots_txt_is_obeyed_and_read_once() -> None:
    robots = Reply("User-agent: *\nDisallow: /private\n", content_type="text/plain")
    replies = {"/robots.txt": robots, "/": Reply("home"), "/private/x": Reply("secret")}
    with LocalSite(replies) as site, fetcher_for(site) as fetcher:
        fetcher.fetch(site.url("/"))
        with pytest.raises(FetchRefusedError, match=r"robots\.txt does not allow it") as refused:
            fetcher.fetch(site.url("/private/x"))
    assert refused.value.url == site.url("/private/x")
    assert site.requests == ["/robots.txt", "/"]


def test_a_robots_txt_that_fails_with_a_server_error_allows_nothing() -> None:
    replies = {"/robots.txt": Reply("down", 503), "/": Reply("home")}
    with (
        LocalSite(replies) as site,
        fetcher_for(site) as fetcher,
        pytest.raises(FetchRefusedError, match=r"robots\.txt could not be read"),
    ):
        fetcher.fetch(site.url("/"))
    assert site.requests == ["/robots.txt"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[::1]:80/",
        "http://[::ffff:169.254.169.254]/",
        "http://2130706433/",
        "http://localhost/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "http://user:pw@example.com/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://intranet/",
        "https://northwind.test/",
    ],
)
def test_internal_addresses_and_other_schemes_are_refused_before_any_connection(
    url: str,
) -> None:
    with (
        SafeFetcher(FetchPolicy(delay_s=0)) as fetcher,
        pytest.raises(FetchRefusedError) as refused,
    ):
        fetcher.fetch(url)
    assert refused.value.url == url
    assert refused.value.reason


def test_loopback_outside_the_allow_list_is_refused() -> None:
    with (
        LocalSite({"/": Reply("home")}) as site,
        LocalSite({"/": Reply("other")}) as other,
        fetcher_for(site) as fetcher,
        pytest.raises(FetchRefusedError, match="loopback"),
    ):
        fetcher.fetch(other.url("/"))
    assert other.requests == []


def test_each_redirect_is_checked_again() -> None:
    replies = {
        "/": Reply(status=302, headers={"Location": "/next"}),
        "/next": Reply(status=301, headers={"Location": "http://169.254.169.254/latest/"}),
    }
    with (
        LocalSite(replies) as site,
        fetcher_for(site) as fetcher,
        pytest.raises(FetchRefusedError, match="link-local") as refused,
    ):
        fetcher.fetch(site.url("/"))
    assert refused.value.url == "http://169.254.169.254/latest/"


def test_redirects_are_followed_up_to_the_limit() -> None:
    replies = {f"/{n}": Reply(status=302, headers={"Location": f"/{n + 1}"}) for n in range(9)}
    replies["/2"] = Reply("landed")
    with LocalSite(replies) as site, fetcher_for(site, max_redirects=2) as fetcher:
        assert fetcher.fetch(site.url("/0")).redirects == (site.url("/0"), site.url("/1"))
        with pytest.raises(FetchRefusedError, match="more than 2 redirects"):
            fetcher.fetch(site.url("/3"))


def test_big_pages_are_cut_at_the_byte_limit_even_when_compressed() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    replies = {"/": Reply(bomb, headers={"Content-Encoding": "gzip"})}
    with LocalSite(replies) as site, fetcher_for(site, max_bytes=10_000) as fetcher:
        page = fetcher.fetch(site.url("/"))
    assert page.truncated
    assert len(page.text) == 10_000


def test_a_server_that_dribbles_is_cut_off_at_the_deadline() -> None:
    def dribble() -> Iterator[bytes]:
        for _ in range(100):
            yield b"<p>x</p>"

    replies = {"/": Reply(chunks=dribble, pause_s=0.05)}
    with (
        LocalSite(replies) as site,
        fetcher_for(site, deadline_s=0.3) as fetcher,
        pytest.raises(FetchRefusedError, match=r"longer than 0\.3 s"),
    ):
        fetcher.fetch(site.url("/"))


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(b"\x89PNG", content_type="image/png"), "content type 'image/png'"),
        (Reply("gone", 404), "answered HTTP 404"),
    ],
)
def test_what_is_not_a_page_is_refused_with_its_reason(reply: Reply, reason: str) -> None:
    with (
        LocalSite({"/": reply}) as site,
        fetcher_for(site) as fetcher,
        pytest.raises(FetchRefusedError, match=reason),
    ):
        fetcher.fetch(site.url("/"))


def test_requests_to_one_host_wait_for_the_delay_on_the_clock(frozen_clock: FrozenClock) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        frozen_clock.advance(timedelta(seconds=seconds))

    with LocalSite({"/": Reply("a"), "/b": Reply("b")}) as site:
        policy = FetchPolicy(delay_s=2.0, allowed=(AllowedTarget.parse(site.target),))
        with SafeFetcher(policy, sleep=sleep) as fetcher:
            fetcher.fetch(site.url("/"))
            frozen_clock.advance(timedelta(seconds=0.5))
            fetcher.fetch(site.url("/b"))
    assert waits == [2.0, 1.5]  # "/" waits for robots.txt, "/b" came half a second later


def test_robots_crawl_delay_slows_the_fetcher_down(frozen_clock: FrozenClock) -> None:
    waits: list[float] = []
    robots = Reply("User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    with LocalSite({"/robots.txt": robots, "/": Reply("a")}) as site:
        policy = FetchPolicy(delay_s=1.0, allowed=(AllowedTarget.parse(site.target),))
        with SafeFetcher(policy, sleep=waits.append) as fetcher:
            fetcher.fetch(site.url("/"))
    assert waits == [5.0]


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        ("日本語".encode("shift_jis"), "text/html; charset=Shift_JIS", "日本語"),
        (b'<meta charset="euc-kr">' + "한국어".encode("euc-kr"), "text/html", "한국어"),
        ("سلام".encode("cp1256"), "text/html; charset=windows-1256", "سلام"),
        (b"caf\xe9", "text/html", "café"),
        (b"ok \xff\xfe", "text/html; charset=utf-8", "ok \ufffd\ufffd"),
        (b"x", "text/html; charset=no-such-codec", "x"),
    ],
)
def test_pages_in_any_encoding_decode(body: bytes, content_type: str, text: str) -> None:
    assert decode(body, content_type).endswith(text)
