"""A web page as a reader sees it: title, description, visible text blocks and links.

Only what a visitor sees on the page counts. Scripts, styles, templates, comments, form
fields, alt and title attributes, and text hidden by markup or CSS (``hidden``,
``aria-hidden``, ``display:none``, zero size or opacity, off-screen positions, classes the
page's own styles hide) are dropped before any text is read, so hidden instructions never
reach a finding or a prompt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog"),
        *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
INVISIBLE_TAGS = (
    "script, style, noscript, template, iframe, object, embed, svg, canvas, math, "
    "input, textarea, select, option, button, datalist, head, dialog:not([open])"
)
HIDDEN_SELECTORS = (
    "[hidden], [aria-hidden=true], [aria-hidden=TRUE], .sr-only, .visually-hidden, "
    ".screen-reader-text, .d-none, .hidden, .hide"
)
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(hidden|collapse)|font-size\s*:\s*0(\.0*)?(px|em|rem|pt|%)?\s*(;|$|!)"
    r"|opacity\s*:\s*0(\.0*)?\s*(;|$|!)|(left|top|right|text-indent|margin-left)\s*:\s*-\d{3,}"
    r"|color\s*:\s*transparent|clip\s*:\s*rect\(\s*0|(width|height|max-height)\s*:\s*0(px)?\s*(;|$|!)",
    re.I,
)
_HIDDEN_CLASS_RULE = re.compile(
    r"([.#][A-Za-z_][\w-]*)\s*\{[^}]*?(display\s*:\s*none|visibility\s*:\s*hidden|"
    r"font-size\s*:\s*0|opacity\s*:\s*0[;}\s]|left\s*:\s*-\d{3,})",
    re.I,
)
_COLOUR = re.compile(r"(?<![-\w])(color|background(?:-color)?)\s*:\s*([^;]+)", re.I)
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]"
)
MAX_BLOCK_CHARS = 2_000
MAX_BLOCKS = 1_500
"""Blocks read per page: enough for any real page, and a giant one costs no more."""


@dataclass(frozen=True)
class Block:
    """A run of visible text: a heading or a paragraph-like element."""

    text: str
    tag: str

    @property
    def is_heading(self) -> bool:
        return self.tag in HEADINGS


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass
class Document:
    """What a page says to a visitor, plus the markers it carries (language, generator)."""

    url: str
    title: str = ""
    description: str = ""
    language: str = ""
    alternate_languages: list[str] = field(default_factory=list)
    generator: str = ""
    script_sources: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every visible block, one per line."""
        return "\n".join(block.text for block in self.blocks)


def clean_text(text: str) -> str:
    """NFKC-normalised text without invisible characters (zero-width spaces, word joiners,
    soft hyphens, bidi overrides), whitespace collapsed. The zero-width (non-)joiners that
    Persian and emoji need stay."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).strip()


def read_document(url: str, html: str) -> Document:
    """The readable document of ``html`` fetched from ``url`` (malformed markup is fine)."""
    tree = LexborHTMLParser(html)
    document = Document(url)
    _read_head(tree, document)
    _remove_hidden(tree)
    body = tree.body
    if body is None:
        return document
    document.links = _links(body, url)
    document.blocks = _blocks(body)
    return document


def _read_head(tree: LexborHTMLParser, document: Document) -> None:
    title = tree.css_first("title")
    document.title = clean_text(title.text()) if title else ""
    for meta in tree.css("meta[name], meta[property]"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        content = clean_text(meta.attributes.get("content") or "")
        if name in ("description", "og:description") and not document.description:
            document.description = content[:MAX_BLOCK_CHARS]
        elif name == "generator":
            document.generator = content[:200]
    root = tree.css_first("html")
    document.language = ((root.attributes.get("lang") or "") if root else "").strip()[:20]
    document.alternate_languages = sorted(
        {
            (node.attributes.get("hreflang") or "").strip()[:20]
            for node in tree.css("link[rel=alternate][hreflang]")
        }
        - {"", "x-default"}
    )
    document.script_sources = [
        source for node in tree.css("script[src]") if (source := node.attributes.get("src"))
    ][:100]


def _remove_hidden(tree: LexborHTMLParser) -> None:
    hidden_by_page_css = {
        match.group(1)
        for style in tree.css("style")
        for match in _HIDDEN_CLASS_RULE.finditer(style.text())
    }
    selectors = [INVISIBLE_TAGS, HIDDEN_SELECTORS, *sorted(hidden_by_page_css)]
    for selector in selectors:
        for node in tree.css(selector):
            node.decompose()
    for node in tree.css("[style]"):
        if _hides(node.attributes.get("style") or ""):
            node.decompose()


def _hides(style: str) -> bool:
    if _HIDING_STYLE.search(style):
        return True
    colours = {
        name.lower().replace("background-color", "background"): value.strip().lower()
        for name, value in _COLOUR.findall(style)
    }
    return "color" in colours and colours.get("color") == colours.get("background")


def _links(body: LexborNode, base: str) -> list[Link]:
    page = httpx.URL(base)
    links: list[Link] = []
    for anchor in body.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            target = page.join(href).copy_with(fragment=None)
        except (httpx.InvalidURL, ValueError):
            continue
        links.append(Link(str(target), clean_text(anchor.text())[:200]))
    return links


def _blocks(body: LexborNode) -> list[Block]:
    """Visible text split at block elements, walked without recursion (deep nesting)."""
    blocks: list[Block] = []
    buffer: list[str] = []
    open_tags: list[str] = ["body"]
    stack: list[tuple[LexborNode, bool]] = [(body, False)]

    def flush() -> None:
        text = clean_text("".join(buffer))[:MAX_BLOCK_CHARS]
        buffer.clear()
        if text:
            blocks.append(Block(text, open_tags[-1]))

    while stack and len(blocks) < MAX_BLOCKS:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            flush()
            open_tags.pop()
            continue
        if tag == "-text":
            buffer.append(node.text_content or "")
            continue
        if tag.startswith("-") or tag.startswith("_"):
            continue
        if tag in BLOCK_TAGS:
            flush()
            open_tags.append(tag)
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return blocks
