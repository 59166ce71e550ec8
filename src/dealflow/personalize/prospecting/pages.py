"""Which pages of a site say what: the kind of a page from its address and link text."""

from __future__ import annotations

import re

import httpx

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "about",
        re.compile(
            r"about|company|who-?we-?are|our-?story|mission|overview|会社概要|企業情報|私たちについて|"
            r"会社案内|회사\s*소개|회사소개|기업\s*정보|درباره|معرفی",
            re.I,
        ),
    ),
    (
        "products",
        re.compile(
            r"products?|solutions?|services?|platform|features|pricing|offerings?|製品|サービス|"
            r"ソリューション|제품|서비스|솔루션|محصول|خدمات|راهکار",
            re.I,
        ),
    ),
    (
        "news",
        re.compile(
            r"news|blog|press|updates|newsroom|announcements?|stories|ニュース|お知らせ|ブログ|"
            r"プレス|뉴스|소식|블로그|보도|اخبار|وبلاگ|خبر",
            re.I,
        ),
    ),
    (
        "careers",
        re.compile(
            r"careers?|jobs?|join-?us|hiring|work-?with-?us|vacanc|recruit|採用|求人|채용|인재|"
            r"استخدام|فرصت|همکاری",
            re.I,
        ),
    ),
    (
        "contact",
        re.compile(
            r"contact|locations?|offices?|お問い合わせ|アクセス|拠点|연락|오시는|위치|تماس|دفاتر",
            re.I,
        ),
    ),
)
SKIPPED_FILES = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|zip|gz|mp4|mp3|docx?|xlsx?|pptx?|css|js|xml|json|ico)$", re.I
)


def page_kind(url: str, link_text: str = "") -> str:
    """``about``, ``products``, ``news``, ``careers``, ``contact`` or ``other``."""
    path = httpx.URL(url).path
    for kind, pattern in KINDS:
        if pattern.search(path) or pattern.search(link_text):
            return kind
    return "other"


def same_site(url: str, site: str) -> bool:
    """Whether ``url`` is on the site's own origin (scheme, host and port)."""
    a, b = httpx.URL(url), httpx.URL(site)
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def worth_reading(url: str) -> bool:
    """A page, not a file (PDF, image, archive...)."""
    return httpx.URL(url).scheme in ("http", "https") and not SKIPPED_FILES.search(
        httpx.URL(url).path
    )
