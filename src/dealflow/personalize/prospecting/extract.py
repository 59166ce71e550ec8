"""Deterministic extraction: findings from a page's visible text, no model needed.

Each finding quotes a sentence (or markup attribute) of the page exactly. Text that reads
as instructions to an AI is set aside (``injection``), never turned into a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from dealflow.personalize.prospecting.documents import Block, Document
from dealflow.personalize.prospecting.injection import instruction_kind
from dealflow.personalize.prospecting.schemas import Finding, SetAside

Found = Callable[[str, str, str], None]
LIMITS = {
    "summary": 3,
    "product": 6,
    "news": 5,
    "hiring": 8,
    "location": 4,
    "language": 1,
    "technology": 8,
}
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_DOES = re.compile(
    r"\b(we|the company|it)\s+(build|make|provide|offer|help|develop|design|deliver|create|sell|"
    r"manufacture|run|operate|power|serve|enable|specialize|specialise)s?\b|\bis\s+an?\s+"
    r"(leading\s+)?[\w-]+(\s+[\w-]+){0,3}\s+(company|provider|platform|maker|manufacturer|startup|"
    r"firm|agency|studio|supplier)\b|を(提供|開発|製造|販売)|(제공|개발|제조|판매)합니다|"
    r"(ارائه|تولید|توسعه)\s*(می\s*دهد|می‌دهد|می‌کند|می\s*کند|می‌کنیم|می‌دهیم)",
    re.I,
)
_HIRING = re.compile(
    r"\bwe('| a)re\s+hiring\b|\bjoin\s+(our|the)\s+team\b|\bopen\s+(positions|roles|jobs)\b|"
    r"\bjob\s+openings\b|\bcareers?\s+at\b|採用中|募集中|채용\s*중|채용합니다|모집|استخدام\s*می|"
    r"فرصت‌های\s*شغلی",
    re.I,
)
_ROLE = re.compile(
    r"\b(engineer|developer|manager|designer|scientist|analyst|specialist|representative|"
    r"executive|architect|consultant|director|intern|lead|head\s+of|sales|marketer|recruiter|"
    r"accountant|technician|operator)\b|エンジニア|営業|デザイナー|マネージャー|개발자|엔지니어|"
    r"영업|디자이너|매니저|مهندس|توسعه‌دهنده|کارشناس|مدیر|طراح",
    re.I,
)
_PLACE = re.compile(
    r"\b(headquartered|based|located)\s+in\b|\bheadquarters\b|\boffices?\s+in\b|\bHQ\b|"
    r"本社|拠点|본사|사무소|지사|دفتر\s*مرکزی|دفاتر|مستقر\s*در",
    re.I,
)
_DATE = re.compile(
    r"\b(19|20)\d\d[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])\b|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(19|20)\d\d\b|"
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(19|20)\d\d\b|"
    r"(19|20)\d\d年\d{1,2}月|(19|20)\d\d년\s*\d{1,2}월|۱۴۰\d|140\d/\d\d?/\d\d?",
    re.I,
)
TECHNOLOGIES = (
    "Python", "Java", "TypeScript", "JavaScript", "Kotlin", "Rust", "Golang", "C#", "Ruby",
    "PHP", "Scala", "React", "Vue", "Angular", "Node.js", "Django", "Rails", "Spring",
    "Kubernetes", "Docker", "Terraform", "AWS", "Azure", "Google Cloud", "GCP", "Kafka",
    "Spark", "Snowflake", "PostgreSQL", "MySQL", "MongoDB", "Redis", "Elasticsearch",
    "Salesforce", "HubSpot", "SAP", "Shopify", "Stripe", "Zendesk", "Tableau", "TensorFlow",
    "PyTorch", "OpenAI",
)  # fmt: skip
_TECH = re.compile(
    r"(?<![\w.#+-])(" + "|".join(re.escape(name) for name in TECHNOLOGIES) + r")(?![\w#+-])"
)
SCRIPT_SIGNATURES = (
    ("wp-content", "WordPress"),
    ("wp-includes", "WordPress"),
    ("cdn.shopify", "Shopify"),
    ("hs-scripts", "HubSpot"),
    ("hubspot", "HubSpot"),
    ("googletagmanager", "Google Tag Manager"),
    ("google-analytics", "Google Analytics"),
    ("segment.com", "Segment"),
    ("intercom", "Intercom"),
    ("js.stripe.com", "Stripe"),
    ("hotjar", "Hotjar"),
    ("zdassets", "Zendesk"),
    ("marketo", "Marketo"),
    ("pardot", "Salesforce Pardot"),
    ("react", "React"),
    ("vue", "Vue"),
    ("angular", "Angular"),
    ("_next/", "Next.js"),
)


@dataclass
class Extraction:
    """The findings of a set of pages, and what was set aside as instructions."""

    findings: list[Finding] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Keep ``finding`` unless its kind is full, it repeats one, or it reads as
        instructions (then it is set aside)."""
        for text in (finding.statement, finding.snippet):
            reason = instruction_kind(text)
            if reason:
                self.set_aside.append(SetAside(finding.source_url, text[:300], reason))
                return
        same_kind = [known for known in self.findings if known.kind == finding.kind]
        if len(same_kind) >= LIMITS[finding.kind]:
            return
        if any(known.statement == finding.statement for known in same_kind):
            return
        self.findings.append(finding)


def extract(pages: list[tuple[Document, str, datetime]]) -> Extraction:
    """Findings of ``pages`` (document, page kind, fetched at), home page first."""
    extraction = Extraction()
    for document, kind, fetched_at in pages:
        _extract_page(extraction, document, kind, fetched_at)
    return extraction


def sentences(text: str) -> Iterator[str]:
    """The sentences of a block of text (in any of the four languages)."""
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            yield sentence.strip()


def _extract_page(extraction: Extraction, document: Document, kind: str, at: datetime) -> None:
    url = document.url

    def found(finding_kind: str, statement: str, snippet: str) -> None:
        extraction.add(Finding(finding_kind, statement, snippet, url, at))

    blocks = [block for block in document.blocks if _content(extraction, block, url)]
    description = document.description
    if description and kind in ("home", "about") and not _set_aside(extraction, description, url):
        found("summary", description, description)
    _languages(document, found)
    _technologies_from_markup(document, found)
    for index, block in enumerate(blocks):
        after_heading = index > 0 and blocks[index - 1].is_heading
        for sentence in sentences(block.text):
            _sentence_findings(sentence, block, kind, found, after_heading)
        if block.is_heading and block.tag != "h1":
            following = blocks[index + 1].text if index + 1 < len(blocks) else ""
            _heading_findings(block, following, kind, found)


def _content(extraction: Extraction, block: Block, url: str) -> bool:
    """Whether ``block`` is page content (not navigation, not instructions)."""
    if block.tag in ("nav", "header"):
        return False
    return not _set_aside(extraction, block.text, url)


def _set_aside(extraction: Extraction, text: str, url: str) -> bool:
    reason = instruction_kind(text)
    if reason:
        if not any(item.snippet == text[:300] for item in extraction.set_aside):
            extraction.set_aside.append(SetAside(url, text[:300], reason))
        return True
    return False


def _sentence_findings(
    sentence: str, block: Block, kind: str, found: Found, after_heading: bool
) -> None:
    long_enough = len(sentence) >= 12
    if kind in ("home", "about") and long_enough and _DOES.search(sentence):
        found("summary", sentence, sentence)
    if _HIRING.search(sentence):
        found("hiring", sentence, sentence)
    if _PLACE.search(sentence) or (block.tag == "address" and long_enough):
        found("location", sentence, sentence)
    for match in _TECH.finditer(sentence):
        found("technology", match.group(1), sentence)
    if kind == "news" and not after_heading and _DATE.search(sentence) and long_enough:
        found("news", sentence, sentence)


def _heading_findings(block: Block, following: str, kind: str, found: Found) -> None:
    title = block.text
    if len(title) > 120:
        return
    if kind == "products":
        found("product", title, title)
    elif kind == "news" and (date := _DATE.search(title) or _DATE.search(following)):
        quote = title if _DATE.search(title) else f"{title} {following}"[:300]
        found("news", f"{title} ({date.group(0)})" if date.group(0) not in title else title, quote)
    elif kind == "careers" and _ROLE.search(title):
        found("hiring", f"Open position: {title}", title)


def _languages(document: Document, found: Found) -> None:
    languages = sorted({document.language, *document.alternate_languages} - {""})
    if languages:
        snippet = f'lang="{document.language}"' if document.language else "hreflang"
        found("language", "Website languages: " + ", ".join(languages), snippet)


def _technologies_from_markup(document: Document, found: Found) -> None:
    if document.generator:
        name = document.generator.split(" ")[0][:60]
        found("technology", name, f'<meta name="generator" content="{document.generator}">')
    for source in document.script_sources:
        lowered = source.lower()
        for signature, name in SCRIPT_SIGNATURES:
            if signature in lowered:
                found("technology", name, f'<script src="{source[:200]}">')
