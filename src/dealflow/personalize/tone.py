"""Tone guidelines of a workspace and the check every draft goes through: formality,
banned phrases, required elements (greeting, call to action, sign-off, the recipient's
name), maximum length. Violations are listed in words a reviewer can act on."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidFieldsError
from dealflow.models import ToneGuide

FORMALITIES = ("formal", "neutral", "casual")
REQUIREMENTS = ("greeting", "call_to_action", "sign_off", "recipient_name")
DEFAULT_REQUIRED = ("greeting", "call_to_action", "sign_off")

SENTENCE_ENDS = ("。", ".", "?", "!", "？", "！")
CASUAL_MARKERS: dict[str, tuple[str, ...]] = {
    "en": ("hey", "cheers", "gonna", "wanna", "thx", "btw", "lol", "!!"),
    "ja": ("だよ", "だね", "よね", "じゃん", "してね", "ありがとう！", "ありがとう。", "なの?"),
    "ko": ("고마워", "했어", "할래", "줄래", "있어?", "해줘", "알았어", "ㅋㅋ"),
    "fa": ("مرسی", "داداش", "چطوری", "می‌خوام", "میخوام", "اوکی"),
}
POLITE_ENDINGS: dict[str, tuple[str, ...]] = {
    "ja": (
        "ます",
        "です",
        "ました",
        "ください",
        "ません",
        "でしょうか",
        "ございます",
        "幸いです",
        "存じます",
        "様",
    ),
    "ko": ("니다", "니까", "세요", "까요", "시오", "요", "님께", "드림"),
}
GREETINGS: dict[str, tuple[str, ...]] = {
    "en": ("dear ", "hello ", "hi ", "good morning", "good afternoon"),
    "ja": ("様", "お世話になっております", "失礼いたします"),
    "ko": ("님", "안녕하십니까", "안녕하세요"),
    "fa": ("گرامی", "سلام", "عزیز"),
}
CALLS_TO_ACTION: dict[str, tuple[str, ...]] = {
    "en": ("?", "please let me know", "book a", "reply to", "let me know"),
    "ja": ("でしょうか", "いただけますと幸いです", "お知らせください", "ご連絡ください"),
    "ko": ("까요?", "주시면", "주십시오", "부탁드립니다"),
    "fa": ("؟", "لطفاً", "لطفا", "اطلاع دهید"),
}
CLOSINGS: dict[str, tuple[str, ...]] = {
    "en": ("regards", "sincerely", "best wishes", "thank you", "best,"),
    "ja": ("よろしくお願い", "敬具", "お願い申し上げます"),
    "ko": ("감사합니다", "드림", "올림"),
    "fa": ("با احترام", "با سپاس", "ارادتمند"),
}


@dataclass(frozen=True)
class ToneRules:
    """A workspace's tone guidelines (the defaults when it has set none)."""

    formality: str = "formal"
    banned_phrases: tuple[str, ...] = ()
    required: tuple[str, ...] = DEFAULT_REQUIRED
    max_words: int = 180
    sign_off: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["banned_phrases"] = list(self.banned_phrases)
        data["required"] = list(self.required)
        return data


@dataclass(frozen=True)
class ToneViolation:
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


def tone_rules(session: Session, workspace_id: int) -> ToneRules:
    """The workspace's tone guidelines, or the defaults."""
    row = session.scalars(select(ToneGuide).where(ToneGuide.workspace_id == workspace_id)).first()
    if row is None:
        return ToneRules()
    return ToneRules(
        formality=row.formality,
        banned_phrases=tuple(row.banned_phrases or ()),
        required=tuple(row.required or ()),
        max_words=row.max_words,
        sign_off=row.sign_off,
    )


def save_tone_rules(session: Session, workspace_id: int, rules: ToneRules) -> ToneRules:
    """Set the workspace's tone guidelines (InvalidFieldsError names a bad field)."""
    problems = []
    if rules.formality not in FORMALITIES:
        problems.append(("formality", f"expected one of: {', '.join(FORMALITIES)}"))
    for item in rules.required:
        if item not in REQUIREMENTS:
            problems.append(("required", f"{item!r} is not one of: {', '.join(REQUIREMENTS)}"))
    if rules.max_words < 20:
        problems.append(("max_words", "expected at least 20 words"))
    if problems:
        raise InvalidFieldsError(problems)
    row = session.scalars(select(ToneGuide).where(ToneGuide.workspace_id == workspace_id)).first()
    if row is None:
        row = ToneGuide(workspace_id=workspace_id)
        session.add(row)
    row.formality = rules.formality
    row.banned_phrases = [p for p in rules.banned_phrases if p.strip()]
    row.required = list(rules.required)
    row.max_words = rules.max_words
    row.sign_off = rules.sign_off or None
    row.updated_at = clock.now()
    session.flush()
    return rules


def length_in_words(text: str, language: str) -> int:
    """Words of ``text``; Japanese, written without spaces, counts two characters a word."""
    if language == "ja":
        return (len(re.sub(r"\s", "", text)) + 1) // 2
    return len(text.split())


def check_tone(
    subject: str,
    body: str,
    language: str,
    rules: ToneRules,
    recipient_names: tuple[str, ...] = (),
    quoted: tuple[str, ...] = (),
) -> list[ToneViolation]:
    """Every way the draft breaks the tone guidelines (empty when it follows them).
    ``quoted`` are the facts' values and sources: names, questions and the pages a finding
    was read on are the CRM's words, never the draft's register, so the formality check
    skips them."""
    found: list[ToneViolation] = []
    text = f"{subject}\n{body}"
    folded = text.casefold()
    for phrase in rules.banned_phrases:
        if phrase.strip() and phrase.casefold() in folded:
            found.append(ToneViolation("banned_phrase", f"uses the banned phrase {phrase!r}"))
    if not written_in(body, language):
        found.append(
            ToneViolation("language", f"is not written in the contact's language ({language})")
        )
    if rules.formality == "formal":
        own_words = body
        for value in sorted(quoted, key=len, reverse=True):
            if len(value) >= 2:
                own_words = own_words.replace(value, " ")
        found.extend(_formality(own_words, language))
    words = length_in_words(body, language)
    if words > rules.max_words:
        found.append(
            ToneViolation(
                "max_length", f"{words} words; the guideline is {rules.max_words} at most"
            )
        )
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    head, tail = "\n".join(lines[:2]).casefold(), "\n".join(lines[-4:]).casefold()
    if "greeting" in rules.required and not any(g in head for g in GREETINGS[language]):
        found.append(ToneViolation("greeting", "does not open with a greeting"))
    if "call_to_action" in rules.required and not any(
        c in folded for c in CALLS_TO_ACTION[language]
    ):
        found.append(
            ToneViolation("call_to_action", "asks for nothing: add a clear call to action")
        )
    if "sign_off" in rules.required:
        wanted = rules.sign_off.strip().casefold() if rules.sign_off else None
        if wanted and wanted not in tail:
            found.append(ToneViolation("sign_off", f"does not end with {rules.sign_off!r}"))
        elif not wanted and not any(c in tail for c in CLOSINGS[language]):
            found.append(ToneViolation("sign_off", "has no sign-off"))
    if "recipient_name" in rules.required and not any(
        name and name.casefold() in folded for name in recipient_names
    ):
        found.append(ToneViolation("recipient_name", "does not name the recipient"))
    return found


SCRIPTS: dict[str, str] = {
    "en": r"[A-Za-z]",
    "ja": r"[\u3040-\u30ff\u4e00-\u9fff]",
    "ko": r"[\uac00-\ud7a3]",
    "fa": r"[\u0600-\u06ff]",
}
"""The letters of each draft language's script (names in other scripts are fine)."""


def written_in(body: str, language: str) -> bool:
    """Whether most of the body's letters are in the language's script (at least 40%)."""
    letters = [ch for ch in body if ch.isalpha()]
    if not letters:
        return False
    own = sum(1 for ch in letters if re.match(SCRIPTS[language], ch))
    return own / len(letters) >= 0.4


def _formality(body: str, language: str) -> list[ToneViolation]:
    found = []
    folded = body.casefold()
    for marker in CASUAL_MARKERS[language]:
        if re.search(
            rf"(?<!\w){re.escape(marker)}(?!\w)"
            if marker.isalpha() and language == "en"
            else re.escape(marker),
            folded,
        ):
            found.append(ToneViolation("formality", f"casual wording {marker!r} in a formal email"))
    endings = POLITE_ENDINGS.get(language)
    if endings:
        for sentence in _sentences(body):
            if not sentence.rstrip().endswith(SENTENCE_ENDS):
                continue  # a name, a company or a signature line
            core = sentence.rstrip("。.!?！？」』）) \n")
            if core and not core.endswith(endings):
                found.append(
                    ToneViolation("formality", f"not in the polite form: {sentence.strip()!r}")
                )
    return found


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。.!?！？])\s*|\n", body) if s.strip()]
