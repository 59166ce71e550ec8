"""Text that talks to the agent instead of about the company: kept out of the findings.

This is the second line of defence. The first is structural: page text is only ever data
(findings with a quote and a URL); the agent's plan, recipients and instructions are fixed
from the CRM before any page is read, so nothing a page says can change them. This module
makes sure text addressed to an AI is not stored as a "fact" either. Patterns cover English,
Japanese, Korean and Persian, and run on NFKC-normalised text without zero-width characters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dealflow.personalize.prospecting.documents import clean_text

_I = re.I
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "asks to ignore instructions",
        re.compile(
            r"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(instructions?|prompts?|"
            r"rules|directions|directives|guidelines|guardrails|messages?|context)\b",
            _I,
        ),
    ),
    (
        "claims to give new instructions",
        re.compile(
            r"\b(new|updated|real|actual|hidden|secret|additional|important)\s+(instructions?|"
            r"directives?|orders|task)\b|\b(system|developer)\s+(prompt|message|instruction|note)s?\b"
            r"|\byou\s+(are|will)\s+now\b|\bfrom\s+now\s+on\b|\bpretend\s+(to\s+be|you)\b"
            r"|\bact\s+as\s+(an?\s+)?(ai|assistant|agent|admin|system)",
            _I,
        ),
    ),
    (
        "speaks as a chat role",
        re.compile(
            r"(^|[\[<(\"'`#*|]|[.!?。]\s)\s*(system|assistant|developer)\s*(\]|>|:|\|)"
            r"|<\|?\s*(im_start|im_end|system|endoftext|begin_of_text|start_header_id)"
            r"|\[/?inst\]|<</?sys>>|###\s*(instruction|system|response)",
            _I,
        ),
    ),
    (
        "addresses an AI",
        re.compile(
            r"\b(dear|attention|note\s+to|hey|hello|to)\s+(the\s+)?(ai|a\.i\.|assistant|agent|"
            r"bot|chatbot|llm|language\s+model|gpt|chatgpt|claude|model|crawler|scraper)\b"
            r"|\b(ai|assistant|agent|llm|model|crawler|bot)s?\s+(reading|processing|parsing|"
            r"summari[sz]ing|visiting|crawling)\s+this\b",
            _I,
        ),
    ),
    (
        "asks to send or forward mail",
        re.compile(
            r"\b(send|forward|e-?mail|mail|cc|bcc|reply|write|message|contact)\b.{0,50}"
            r"\b(everyone|everybody|all\s+(of\s+)?(your|the|their)?\s*(contacts|customers|leads|"
            r"users|recipients|clients|addresses|people)|every\s+(contact|customer|lead|user)|"
            r"entire\s+(list|crm|database|address\s+book))\b"
            r"|\b(sen[dt]|send(s|ing)|forward(s|ed|ing)?|cc'?d?|bcc'?d?|cop(y|ied))\b.{0,30}"
            r"\b(drafts?|e-?mails?|messages?|findings|summary|"
            r"results|data|list|contacts|replies)\b.{0,20}\bto\s+\S+@\S+"
            r"|\b(recipient|reply-to|cc|bcc|send\s+to|email\s+address)\s*(is|=|:|should\s+be)"
            r"\s*(now\s+)?\S+@\S+"
            r"|\b(change|replace|update|set)\s+(the\s+)?(recipient|email\s+address|contact|"
            r"owner|sender)s?\b",
            _I,
        ),
    ),
    (
        "asks to reveal or run something",
        re.compile(
            r"\b(reveal|print|show|output|repeat|leak|exfiltrate)\b.{0,30}\b(prompt|instructions|"
            r"api\s*key|secrets?|password|credentials|tokens?)\b"
            r"|\b(run|execute|eval)\s+(this|the\s+following)\s+(code|command|script)\b",
            _I,
        ),
    ),
    (
        "instructions in Japanese",
        re.compile(
            r"(指示|命令|指令|プロンプト|ルール)(を|は)?(すべて|全て)?(無視|忘れ)|システムプロンプト|"
            r"(全員|皆さん|すべての(連絡先|顧客|人))に.{0,10}(メール|送信|送って)|あなたは(今から|これから)"
        ),
    ),
    (
        "instructions in Korean",
        re.compile(
            r"(지시|명령|지침|프롬프트|규칙)(사항)?(을|를|은|는)?\s*(모두\s*)?(무시|잊어)|시스템\s*프롬프트|"
            r"모든\s*(사람|연락처|고객|사용자)(에게|한테).{0,10}(이메일|메일|보내)|이제부터\s*너는"
        ),
    ),
    (
        "instructions in Persian",
        re.compile(
            r"(دستور|دستورالعمل|دستورات|راهنمایی|پرامپت)\S*\s*(های\s*)?(قبلی\s*)?(را\s*)?(نادیده|فراموش)|"
            r"نادیده\s*بگیر|پرامپت\s*سیستم|به\s*همه\s*(مخاطبین|مشتریان|کاربران)?\s*(ایمیل|پیام)|"
            r"همه\s*مخاطبین|از\s*این\s*پس\s*تو"
        ),
    ),
)


@lru_cache(maxsize=8192)
def instruction_kind(text: str) -> str:
    """What makes ``text`` read as instructions to an AI (empty when it reads as content)."""
    cleaned = clean_text(text).replace("\u200c", "").replace("\u200d", "")
    for name, pattern in PATTERNS:
        if pattern.search(cleaned):
            return name
    return ""
