"""Which pages the agent reads: the start page, then up to N pages it links to on its own
site, the most telling kinds first (about, products, news, careers, contact)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from dealflow.personalize.prospecting.documents import Document, read_document
from dealflow.personalize.prospecting.errors import FetchRefusedError
from dealflow.personalize.prospecting.fetcher import Page, SafeFetcher
from dealflow.personalize.prospecting.pages import KINDS, page_kind, same_site, worth_reading
from dealflow.personalize.prospecting.policy import HTML_TYPES
from dealflow.personalize.prospecting.schemas import Refusal

PER_KIND = 2


@dataclass(frozen=True)
class ReadPage:
    page: Page
    document: Document
    kind: str


@dataclass
class Crawl:
    """The pages read (start page first), the URLs refused and every URL asked for."""

    pages: list[ReadPage] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


def document_of(page: Page) -> Document:
    """The readable document of a fetched page (plain text becomes one block per line)."""
    if page.content_type in HTML_TYPES:
        return read_document(page.url, page.text)
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in page.text.splitlines())
    return read_document(page.url, f"<body>{lines}</body>")


def crawl(fetcher: SafeFetcher, start_url: str, max_pages: int) -> Crawl:
    """Read ``start_url`` (FetchRefusedError if it cannot be) and the pages it links to."""
    result = Crawl(requested=[start_url])
    home = fetcher.fetch(start_url)
    home_document = document_of(home)
    result.pages.append(ReadPage(home, home_document, "home"))
    for url, kind in _next_pages(home_document, home.url)[: max(0, max_pages - 1)]:
        result.requested.append(url)
        try:
            page = fetcher.fetch(url)
        except FetchRefusedError as error:
            result.refused.append(Refusal(error.url, error.reason))
            continue
        result.pages.append(ReadPage(page, document_of(page), kind))
    return result


def _next_pages(document: Document, site: str) -> list[tuple[str, str]]:
    seen = {site.rstrip("/")}
    by_kind: dict[str, list[str]] = {kind: [] for kind, _ in KINDS}
    for link in document.links:
        url = link.url
        if url.rstrip("/") in seen or not worth_reading(url) or not same_site(url, site):
            continue
        kind = page_kind(url, link.text)
        if kind == "other" or len(by_kind[kind]) >= PER_KIND:
            continue
        seen.add(url.rstrip("/"))
        by_kind[kind].append(url)
    firsts = [(urls[0], kind) for kind, urls in by_kind.items() if urls]
    seconds = [(url, kind) for kind, urls in by_kind.items() for url in urls[1:]]
    return firsts + seconds
