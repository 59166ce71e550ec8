"""Words that turn free text into features: free-mail providers and job-title seniority.

Lists cover the product's four languages (English, Japanese, Korean, Persian); a workspace
with other markets still gets "unknown" rather than a wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yahoo.co.jp",
        "docomo.ne.jp",
        "ezweb.ne.jp",
        "softbank.ne.jp",
        "i.softbank.jp",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "kakao.com",
        "nate.com",
        "chmail.ir",
        "yahoo.co.uk",
        "hotmail.co.uk",
        "qq.com",
        "163.com",
    }
)

SENIORITY_LEVELS = ("executive", "director", "manager", "staff", "unknown")

_SENIORITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "executive",
        (
            "ceo", "coo", "cfo", "cto", "cio", "cmo", "chief", "president", "founder", "owner",
            "managing director", "vp", "vice president", "svp", "evp", "partner",
            "社長", "取締役", "執行役員", "代表", "役員", "会長", "専務", "常務",
            "대표", "사장", "부사장", "전무", "상무", "회장", "임원",
            "مدیرعامل", "رئیس", "معاون", "بنیان‌گذار", "مالک", "مدیر اجرایی",
        ),
    ),
    (
        "director",
        (
            "director", "head of", "head,", "部長", "本部長", "事業部長", "이사", "부장", "본부장",
            "مدیر",
        ),
    ),
    (
        "manager",
        (
            "manager", "lead", "supervisor", "課長", "マネージャー", "係長", "主任", "リーダー",
            "팀장", "과장", "매니저", "차장", "سرپرست", "مسئول",
        ),
    ),
)  # fmt: skip


def email_domains(emails: Iterable[str | None]) -> list[str | None]:
    """The part of each email after its last "@" (None without one): the cheap step per
    email, before ``domain_kind`` once per distinct domain."""
    return [email.rpartition("@")[2] if email and "@" in email else None for email in emails]


def domain_kind(domain: str | None) -> str:
    """ "free" for a personal mailbox provider, "corporate" otherwise, "missing" without one
    (an email's domain, from ``email_domains``)."""
    if domain is None:
        return "missing"
    return "free" if domain.strip().lower() in FREE_MAIL_DOMAINS else "corporate"


def seniority(job_title: str | None) -> str:
    """The seniority a job title signals, in any of the product's languages."""
    if not job_title or not job_title.strip():
        return "unknown"
    for level, pattern in _SENIORITY_PATTERNS:
        if pattern.search(job_title):
            return level
    return "staff"


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Latin words match whole words; CJK and Persian titles join words, so those match inside."""
    alternatives = [
        rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word)
        for word in words
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


_SENIORITY_PATTERNS = tuple((level, _pattern(words)) for level, words in _SENIORITY_WORDS)
