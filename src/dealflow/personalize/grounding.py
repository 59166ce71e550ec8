"""The grounding check: every factual statement of a draft (numbers, names, dates, quoted
words, claims about the recipient) must trace to a fact of its context. Unsupported ones
are flagged, and a draft with any cannot be approved in one click.

Claims are found per sentence, in every draft language:
- numbers (any digits: ASCII, full-width, Persian) and month names;
- names: the workspace's known entities (companies, people, products, places, industries,
  stages) and capitalised Latin words, katakana words, names before an honorific
  (様, さん, 님, 씨, آقای, خانم, Mr...), and quoted words («», 「」, “”);
- claims about the recipient (``you mentioned``, ``おめでとう``, ``말씀하신``, ``تبریک``...)
  that name no fact of the context.
The sender's own fixed words (the phrase book, the segment template, the sign-off) are
not claims.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.models import Company, Pipeline, Product, Stage, User
from dealflow.personalize.context import Fact
from dealflow.personalize.vocabulary import renderings

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_NAME = re.compile(rf"\b({'|'.join(MONTHS)})\b")
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
NUMBER = re.compile(r"\d+(?:[.,٬،]\d+)*")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
KATAKANA = re.compile(r"[ァ-ヶー]{3,}")
QUOTED = re.compile(r"[“\"«「『‘]([^”\"»」』’]{2,})[”\"»」』’]")
HONORIFIC_NAMES = (
    re.compile(r"([一-龯ぁ-んァ-ヶA-Za-z]{1,10})\s?(?:様|さん|氏)"),
    re.compile(r"([가-힣]{2,5})\s?(?:님|씨)"),
    re.compile(r"(?:آقای|خانم|جناب)\s+([\u0600-\u06FF]+)"),
    re.compile(r"\b(?:Mr|Ms|Mrs|Dr)\.?\s+([A-Z][A-Za-z\-]+)"),
)
GENERIC_ADDRESSEES = (
    "皆",
    "皆さま",
    "お客",
    "担当者",
    "企業",
    "会社",
    "고객",
    "담당자",
    "여러분",
    "회원",
)
RECIPIENT_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        "you mentioned",
        "you said",
        "you told",
        "you asked",
        "you recently",
        "your recent",
        "congratulations",
        "i saw that",
        "i noticed",
        "as discussed",
        "as we discussed",
        "you attended",
        "you visited",
        "you downloaded",
        "you are planning",
        "you plan to",
        "you are expanding",
        "you're expanding",
        "your new",
        "you won",
        "you have just",
        "you've just",
        "your team has",
        "your company has",
        "you are looking for",
        "you need",
        "your current",
        "you are using",
        "you use ",
    ),
    "ja": (
        "おっしゃって",
        "お話しされ",
        "おめでとう",
        "拝見しました",
        "伺いました",
        "伺っております",
        "ご検討中",
        "ご予定",
        "ご受賞",
        "ご就任",
        "ご移転",
        "ご導入",
        "拡大",
        "新設",
        "お探し",
        "お困り",
        "ご利用中",
        "現在の",
    ),
    "ko": (
        "말씀하신",
        "축하",
        "보았습니다",
        "들었습니다",
        "계획하고 계신",
        "검토 중이신",
        "확장",
        "수상",
        "도입하셨",
        "찾고 계신",
        "어려움을 겪고",
        "새로 여신",
        "이전하신",
        "현재 사용",
        "사용 중이신",
        "현재 시스템",
    ),
    "fa": (
        "تبریک",
        "گفته بودید",
        "اشاره کردید",
        "شنیدم",
        "دیدم که",
        "قصد دارید",
        "برنامه دارید",
        "گسترش",
        "جایزه",
        "به دنبال",
        "مشکل دارید",
        "افتتاح",
        "نقل مکان",
        "فعلی شما",
        "استفاده می‌کنید",
    ),
}
COMMON_WORDS = {
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "can",
    "could",
    "do",
    "for",
    "from",
    "have",
    "here",
    "how",
    "i",
    "i'm",
    "i'd",
    "i'll",
    "if",
    "in",
    "is",
    "it",
    "its",
    "it's",
    "just",
    "let",
    "me",
    "more",
    "my",
    "no",
    "not",
    "of",
    "on",
    "or",
    "our",
    "please",
    "so",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "there",
    "these",
    "this",
    "to",
    "us",
    "we",
    "we'd",
    "we'll",
    "we're",
    "what",
    "when",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "you're",
    "yours",
    "dear",
    "hi",
    "hello",
    "kind",
    "best",
    "regards",
    "sincerely",
    "looking",
    "given",
    "since",
    "after",
    "before",
    "during",
    "once",
    "many",
    "most",
    "some",
    "any",
    "all",
    "each",
    "every",
    "both",
    "also",
    "today",
    "tomorrow",
    "next",
    "last",
    "week",
    "month",
    "year",
    "call",
    "meeting",
    "email",
    "note",
    "quick",
    "short",
}
PEOPLE_KEYS = ("contact.first_name", "contact.last_name", "sender.name")
SKIPPED_FACT_KEYS = ("contact.language", "contact.lifecycle_stage", "contact.lead_status")


@dataclass(frozen=True)
class Claim:
    """A factual statement found in a draft, and whether the context supports it."""

    sentence: str
    text: str
    kind: str
    supported: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "sentence": self.sentence,
            "text": self.text,
            "kind": self.kind,
            "supported": self.supported,
        }


@dataclass(frozen=True)
class GroundingReport:
    claims: tuple[Claim, ...]

    @property
    def unsupported(self) -> list[Claim]:
        return [claim for claim in self.claims if not claim.supported]

    @property
    def grounded(self) -> bool:
        return not self.unsupported


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Text as claims are compared: NFKC, ASCII digits, case-folded, no thousands
    separators, underscores as spaces."""
    text = unicodedata.normalize("NFKC", text).translate(PERSIAN_DIGITS).casefold()
    text = re.sub(r"(?<=\d)[,٬،](?=\d{3})", "", text)
    return text.replace("_", " ").replace("\u200c", " ")


def entity_vocabulary(session: Session, workspace_id: int) -> frozenset[str]:
    """The names a draft could state wrongly: companies, people (users), products, places,
    industries, pipelines and stages of the workspace."""
    names: set[str] = set()
    for column in (Company.name, Company.city, Company.country, Company.industry):
        names.update(
            name
            for name in session.scalars(
                select(column).where(Company.workspace_id == workspace_id).distinct()
            )
            if name
        )
    for model, column in ((User, User.name), (Product, Product.name), (Pipeline, Pipeline.name)):
        names.update(session.scalars(select(column).where(model.workspace_id == workspace_id)))
    names.update(session.scalars(select(Stage.name).where(Stage.workspace_id == workspace_id)))
    return frozenset(name for name in names if name and len(name.strip()) >= 3)


class Corpus:
    """The context's facts (and the sender's fixed words) in the form claims are looked up."""

    def __init__(self, facts: Iterable[Fact], allowed: Sequence[str]) -> None:
        facts = list(facts)
        values = [
            part
            for fact in facts
            if fact.key not in SKIPPED_FACT_KEYS
            for part in (fact.value, fact.detail)
            if part
        ]
        values.extend(full_names(facts))
        values.extend(renderings(facts))  # "製造" traces to the industry "Manufacturing"
        self.people = [
            normalise(f.value) for f in facts if f.key in PEOPLE_KEYS and f.value.strip()
        ]
        self.facts = [normalise(value) for value in values]
        self.text = "\n".join(self.facts)
        self.numbers = {_number_key(n) for n in NUMBER.findall(self.text)}
        self.months = {
            int(m) for value in self.facts for m in re.findall(r"\d{4}-(\d{2})-\d{2}", value)
        }
        self.allowed = normalise("\n".join(allowed))
        self.allowed_numbers = {_number_key(n) for n in NUMBER.findall(self.allowed)}
        raw_allowed = "\n".join(allowed)
        self.allowed_words = set(LATIN_WORD.findall(raw_allowed)) | set(
            KATAKANA.findall(raw_allowed)
        )
        self.fact_spans = [value for value in self.facts if len(value) >= 3]

    def has(self, text: str) -> bool:
        return normalise(text).strip() in self.text

    def mentions_a_fact(self, sentence: str) -> bool:
        folded = normalise(sentence)
        return any(span in folded for span in self.fact_spans)


def full_names(facts: Sequence[Fact]) -> list[str]:
    """The contact's name written whole, in either order, with and without a space."""
    first = next((f.value for f in facts if f.key == "contact.first_name"), None)
    last = next((f.value for f in facts if f.key == "contact.last_name"), None)
    if not first or not last:
        return []
    return [f"{first} {last}", f"{last} {first}", f"{last}{first}", f"{first}{last}"]


def check_grounding(
    subject: str,
    body: str,
    facts: Iterable[Fact],
    language: str,
    *,
    allowed: Sequence[str] = (),
    entities: Iterable[str] = (),
) -> GroundingReport:
    """Find the draft's claims and whether each traces to a fact (see the module text)."""
    corpus = Corpus(facts, allowed)
    whole = normalise(f"{subject}\n{body}")
    present = [e for e in entities if normalise(e) in whole]
    entity_list = [e for e in present if normalise(e).strip() not in corpus.allowed]
    claims: list[Claim] = []
    for sentence in sentences(f"{subject}\n{body}"):
        claims.extend(_claims(sentence, corpus, entity_list, language))
    return GroundingReport(tuple(claims))


def sentences(text: str) -> list[str]:
    """The sentences (and lines) of a text, in every draft language."""
    parts = re.split(r"(?<=[。.!?！？؟])\s+|(?<=[。！？])|\n", text)
    return [part.strip() for part in parts if part and part.strip()]


def _claims(sentence: str, corpus: Corpus, entities: list[str], language: str) -> list[Claim]:
    found: dict[tuple[str, str], bool] = {}
    folded = normalise(sentence)

    def add(kind: str, text: str, supported: bool) -> None:
        key = (kind, text)
        found[key] = found.get(key, True) and supported

    for raw in NUMBER.findall(folded):
        key = _number_key(raw)
        add("number", raw, key in corpus.numbers or key in corpus.allowed_numbers)
    for name in MONTH_NAME.findall(folded):
        if name not in corpus.allowed:
            month = MONTHS.index(name) + 1
            add("date", name, month in corpus.months or corpus.has(name))
    for entity in entities:
        if _contains(folded, normalise(entity)):
            add("name", entity, corpus.has(entity))
    for text in _proper_nouns(sentence, corpus, language):
        add("name", text, corpus.has(text))
    for pattern in HONORIFIC_NAMES:
        for match in pattern.finditer(sentence):
            name = match.group(1)
            if name.endswith(GENERIC_ADDRESSEES) or normalise(name) in corpus.allowed:
                continue
            known = corpus.has(name) or (language == "ja" and _tail_known(name, corpus))
            add("name", name, known)
    for match in QUOTED.finditer(sentence):
        add("quote", match.group(1), corpus.has(match.group(1)))
    supported_any = any(ok for ok in found.values()) or corpus.mentions_a_fact(sentence)
    cue = next((c for c in RECIPIENT_CUES.get(language, ()) if c in folded), None)
    if cue is None and language != "en":
        cue = next((c for c in RECIPIENT_CUES["en"] if c in folded), None)
    if cue is not None and not supported_any and not _in_allowed(folded, corpus):
        add("about_recipient", cue, False)
    return [Claim(sentence, text, kind, ok) for (kind, text), ok in found.items()]


def _proper_nouns(sentence: str, corpus: Corpus, language: str) -> list[str]:
    found = []
    words = LATIN_WORD.findall(sentence)
    for position, word in enumerate(words):
        if not word[0].isupper() or word in corpus.allowed_words:
            continue
        if word.casefold() in COMMON_WORDS or word.casefold() in MONTHS or len(word) < 2:
            continue
        if language == "en" and position == 0:
            continue  # a sentence starts with a capital: known names are found as entities
        found.append(word)
    found += [w for w in KATAKANA.findall(sentence) if w not in corpus.allowed_words]
    return found


def _tail_known(name: str, corpus: Corpus) -> bool:
    """A name run into the words before it (``弊社の山田様``): its last characters are known."""
    folded = normalise(name)
    if any(folded.endswith(person) for person in corpus.people):
        return True  # a one-character family name (森様) is known only as a whole name
    return any(corpus.has(name[-size:]) for size in range(2, len(name) + 1))


def _in_allowed(folded: str, corpus: Corpus) -> bool:
    return folded.strip() in corpus.allowed


def _contains(text: str, entity: str) -> bool:
    if not entity.strip() or entity not in text:
        return False
    if entity.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(entity)}(?![a-z0-9])", text) is not None
    return entity in text


def _number_key(raw: str) -> str:
    digits = re.sub(r"[.,٬،]", "", raw) if re.fullmatch(r"\d{1,3}([,٬،]\d{3})+", raw) else raw
    return digits.lstrip("0") or "0"
