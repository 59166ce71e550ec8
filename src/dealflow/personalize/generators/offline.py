"""The offline composer: a natural email assembled from the context's facts, the segment's
template and the tone rules, in the contact's language, with no language model.

Every sentence comes from the phrase book with facts put in its placeholders, and a
sentence is used only when all its facts are known: what it states is grounded by
construction.
"""

from __future__ import annotations

import re

from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest, GeneratedDraft
from dealflow.personalize.merge_fields import fill
from dealflow.personalize.phrasebook import HOOK_ORDER, PHRASES, RESEARCH_KINDS
from dealflow.personalize.tone import length_in_words
from dealflow.personalize.vocabulary import said_in

CONVERSATIONS = ("conversation.meeting", "conversation.call")
"""Conversations where the contact gave their time (an email sent to them is not one)."""
PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


class OfflineComposer:
    """The built-in generator (``offline``)."""

    name = "offline"

    def generate(self, request: DraftRequest) -> GeneratedDraft:
        context = request.context
        language = context.language
        phrases = PHRASES[language]
        say = _Sayer(context, phrases)
        template = request.template
        subject = (fill(template.subject, context) if template and template.subject else None) or (
            say("subject.company") or say("subject.plain") or ""
        )
        greeting = say(f"greeting.{'casual' if request.tone.formality == 'casual' else 'formal'}")
        if greeting is None or (language == "ja" and context.value("company.name") is None):
            greeting = say("greeting.person") or say("greeting.formal") or ""
        known = bool(context.all("conversation.email") or context.all("conversation.call"))
        opening = say("opening.known" if known else "opening.new")
        intro = say("intro") or say("intro.company")
        hook = _hook(context, say)
        finding = _finding(context)
        research = say("research", finding) if finding is not None else None
        value = fill(template.body, context).strip() if template and template.body else None
        if not value:
            value = say("value.industry") or say("value.company") or say("value.plain")

        def body_with(research: str | None) -> str:
            paragraphs = [
                greeting,
                _join(language, [opening, intro]),
                _join(language, [hook, research, value]),
                phrases["cta"],
                _sign_off(request.tone.sign_off or phrases["closing"], context),
            ]
            return "\n\n".join(p for p in paragraphs if p)

        body = body_with(research)
        if research and length_in_words(body, language) > request.tone.max_words:
            body = body_with(None)  # a finding is worth less than keeping to the length
        return GeneratedDraft(subject=subject, body=body, language=language, generator=self.name)


class _Sayer:
    """Fills a phrase's placeholders from facts; None when a fact is unknown."""

    def __init__(self, context: Context, phrases: dict[str, str]) -> None:
        self.context = context
        self.phrases = phrases

    def __call__(self, key: str, value: Fact | None = None) -> str | None:
        text = self.phrases.get(key)
        if text is None:
            return None
        missing = False

        def substitute(match: re.Match[str]) -> str:
            nonlocal missing
            name = match.group(1)
            fact = value if name == "value" else self.context.first(name)
            if name == "contact.name":
                found: str | None = whole_name(self.context)
            elif name == "source":
                found = value.detail if value is not None else None
            elif fact is not None and fact.value:
                found = said_in(fact, self.context.language)
            else:
                found = None
            if not found:
                missing = True
                return ""
            return found

        said = PLACEHOLDER.sub(substitute, text)
        return None if missing else said


def whole_name(context: Context) -> str | None:
    """The contact's name in the language's order: family name first, run together in
    Korean script (양다은); given name first for names in Latin letters."""
    first, last = context.value("contact.first_name"), context.value("contact.last_name")
    if not first or not last:
        return None
    if context.language == "ko" and not (first + last).isascii():
        return f"{last}{first}"
    if context.language == "ja" and not (first + last).isascii():
        return f"{last} {first}"
    return f"{first} {last}"


def _finding(context: Context) -> Fact | None:
    """The research finding a draft mentions: the latest news item, else the latest product
    (None when the company was never researched)."""
    for kind in RESEARCH_KINDS:
        found = [fact for fact in context.all(kind) if fact.value and fact.detail]
        if found:
            return max(found, key=lambda fact: fact.at.timestamp() if fact.at else 0.0)
    return None


def _hook(context: Context, say: _Sayer) -> str | None:
    for kind in HOOK_ORDER:
        if kind == "deal":
            stage = context.first("deal.stage")
            said = say("hook.deal") if stage is not None and stage.detail == "open" else None
        elif kind == "role":
            said = say("hook.role")
        elif kind == "conversation":
            said = next(
                (
                    say("hook.conversation", fact)
                    for fact in context.facts
                    if fact.key in CONVERSATIONS
                ),
                None,
            )
        else:
            fact = context.first(kind)
            said = say(f"hook.{kind}", fact) if fact is not None else None
        if said:
            return said
    return None


def _join(language: str, sentences: list[str | None]) -> str:
    glue = "" if language == "ja" else " "
    return glue.join(s for s in sentences if s)


def _sign_off(closing: str, context: Context) -> str:
    lines = [closing.strip()]
    sender, company = context.value("sender.name"), context.value("sender.company")
    if context.language in ("ja",):
        lines += [line for line in (company, sender) if line]
    elif context.language == "ko":
        lines += [company or "", f"{sender} 드림" if sender else ""]
    else:
        lines += [line for line in (sender, company) if line]
    return "\n".join(line for line in lines if line)
