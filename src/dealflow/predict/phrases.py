"""Sentences a rep understands for each CRM feature behind a score, in any language.

Each phrase takes the feature's value, its contribution (positive raises the score) and the
``Words`` of a language, and says what happened: "Visited the pricing page 3 times in the
last 7 days". Scoring stores the English sentence with the feature, value and contribution;
the web pages say the same again in the viewer's language from those facts, through the
same phrases with their catalogue's ``Words``. The texts are gettext message ids (marked
with ``N_``, extracted into the web catalogues).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol


class Words(Protocol):
    """How one language says a message (a gettext id with ``%(name)s`` values) and a number."""

    def text(self, message: str, **values: object) -> str: ...

    def number(self, value: float | int) -> str: ...

    def label(self, value: str) -> str:
        """A fixed value of the CRM (a lead status, a lifecycle stage...) in words."""
        ...


class EnglishWords:
    """The message ids as they are, numbers with thousands separators."""

    def text(self, message: str, **values: object) -> str:
        return message % values if values else message

    def number(self, value: float | int) -> str:
        return f"{value:,.0f}"

    def label(self, value: str) -> str:
        return value.replace("_", " ")


ENGLISH = EnglishWords()

Phrase = Callable[[Any, float, Words], str]
"""(value, contribution, words) -> sentence."""


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    return message


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _count(once: str, many: str, none: str) -> Phrase:
    """A count: ``none`` for zero, ``once`` for one, ``many`` (with ``%(n)s``) otherwise."""

    def phrase(value: Any, _: float, words: Words) -> str:
        n = 0 if _missing(value) else int(value)
        if n == 0:
            return words.text(none)
        return words.text(once) if n == 1 else words.text(many, n=words.number(n))

    return phrase


def _days_since(recent: str, long_ago: str, never: str) -> Phrase:
    def phrase(value: Any, contribution: float, words: Words) -> str:
        if _missing(value):
            return words.text(never)
        days = words.number(max(0, round(float(value))))
        return words.text(long_ago if contribution < 0 else recent, days=days)

    return phrase


def _category(template: str) -> Phrase:
    def phrase(value: Any, _: float, words: Words) -> str:
        shown = words.text(N_("unknown")) if _missing(value) else words.label(str(value))
        return words.text(template, value=shown)

    return phrase


def _email_kind(value: Any, _: float, words: Words) -> str:
    if value == "free":
        return words.text(N_("Uses a personal email address"))
    if value == "corporate":
        return words.text(N_("Uses a company email address"))
    return words.text(N_("No email address on record"))


def _company_size(value: Any, _: float, words: Words) -> str:
    if _missing(value):
        return words.text(N_("Company size unknown"))
    return words.text(N_("Company of %(n)s employees"), n=words.number(int(value)))


def _company_revenue(value: Any, _: float, words: Words) -> str:
    if _missing(value):
        return words.text(N_("Company revenue unknown"))
    return words.text(N_("Company revenue %(amount)s"), amount=words.number(float(value)))


def _close_date(value: Any, _: float, words: Words) -> str:
    if _missing(value):
        return words.text(N_("No close date set"))
    days = round(float(value))
    if days == -1:
        return words.text(N_("Close date passed 1 day ago"))
    if days < 0:
        return words.text(N_("Close date passed %(n)s days ago"), n=words.number(-days))
    if days == 1:
        return words.text(N_("Expected to close in 1 day"))
    return words.text(N_("Expected to close in %(n)s days"), n=words.number(days))


def _share(template: str) -> Phrase:
    def phrase(value: Any, _: float, words: Words) -> str:
        pct = 0 if _missing(value) else round(100 * float(value))
        return words.text(template, pct=words.number(pct))

    return phrase


def _amount(value: Any, _: float, words: Words) -> str:
    if _missing(value):
        return words.text(N_("No amount set"))
    return words.text(N_("Amount %(amount)s"), amount=words.number(float(value)))


def _days(one: str, many: str) -> Phrase:
    def phrase(value: Any, _: float, words: Words) -> str:
        days = max(0, round(float(value)))
        return words.text(one) if days == 1 else words.text(many, n=words.number(days))

    return phrase


def _stage_position(value: Any, _: float, words: Words) -> str:
    if _missing(value) or float(value) < 2:
        return words.text(N_("Early in the pipeline"))
    return words.text(N_("Late in the pipeline"))


LEAD_PHRASES: dict[str, Phrase] = {
    "page_views_7d": _count(
        N_("Visited the website once this week"),
        N_("Visited the website %(n)s times this week"),
        N_("No website visits this week"),
    ),
    "page_views_30d": _count(
        N_("Visited the website once in the last 30 days"),
        N_("Visited the website %(n)s times in the last 30 days"),
        N_("No website visits in 30 days"),
    ),
    "page_views_90d": _count(
        N_("Visited the website once in the last 90 days"),
        N_("Visited the website %(n)s times in the last 90 days"),
        N_("No website visits in 90 days"),
    ),
    "pricing_views_7d": _count(
        N_("Visited the pricing page once this week"),
        N_("Visited the pricing page %(n)s times this week"),
        N_("No pricing page visit this week"),
    ),
    "pricing_views_30d": _count(
        N_("Visited the pricing page once in the last 30 days"),
        N_("Visited the pricing page %(n)s times in the last 30 days"),
        N_("No pricing page visit in 30 days"),
    ),
    "pricing_views_90d": _count(
        N_("Visited the pricing page once in the last 90 days"),
        N_("Visited the pricing page %(n)s times in the last 90 days"),
        N_("Never looked at pricing"),
    ),
    "email_opens_30d": _count(
        N_("Opened emails once in 30 days"),
        N_("Opened emails %(n)s times in 30 days"),
        N_("Opened no email in 30 days"),
    ),
    "email_clicks_30d": _count(
        N_("Clicked links in emails once in 30 days"),
        N_("Clicked links in emails %(n)s times in 30 days"),
        N_("Clicked no email link in 30 days"),
    ),
    "email_replies_30d": _count(
        N_("Replied once in the last 30 days"),
        N_("Replied %(n)s times in the last 30 days"),
        N_("No reply in 30 days"),
    ),
    "email_replies_90d": _count(
        N_("Replied once in the last 90 days"),
        N_("Replied %(n)s times in the last 90 days"),
        N_("No reply in 90 days"),
    ),
    "forms_90d": _count(
        N_("Filled in a form once in 90 days"),
        N_("Filled in a form %(n)s times in 90 days"),
        N_("No form filled in 90 days"),
    ),
    "events_90d": _count(
        N_("Attended an event or webinar once in 90 days"),
        N_("Attended an event or webinar %(n)s times in 90 days"),
        N_("No event or webinar in 90 days"),
    ),
    "social_90d": _count(
        N_("Interacted on social media once in 90 days"),
        N_("Interacted on social media %(n)s times in 90 days"),
        N_("No social interaction in 90 days"),
    ),
    "days_since_last_engagement": _days_since(
        N_("Active %(days)s days ago"),
        N_("No activity for %(days)s days"),
        N_("Has never engaged"),
    ),
    "days_since_last_reply": _days_since(
        N_("Replied %(days)s days ago"), N_("No reply in %(days)s days"), N_("Has never replied")
    ),
    "days_since_created": _days(N_("Lead since 1 day"), N_("Lead since %(n)s days")),
    "calls_total": _count(N_("1 call logged"), N_("%(n)s calls logged"), N_("No call logged yet")),
    "meetings_total": _count(
        N_("1 meeting held"), N_("%(n)s meetings held"), N_("No meeting held yet")
    ),
    "emails_total": _count(
        N_("1 email exchanged"), N_("%(n)s emails exchanged"), N_("No email exchanged yet")
    ),
    "notes_total": _count(
        N_("1 note from the team"), N_("%(n)s notes from the team"), N_("No notes yet")
    ),
    "completeness": _share(N_("Profile %(pct)s%% complete")),
    "source": _category(N_("Came in through %(value)s")),
    "lifecycle_stage": _category(N_("Lifecycle stage: %(value)s")),
    "lead_status": _category(N_("Lead status: %(value)s")),
    "country": _category(N_("Based in %(value)s")),
    "language": _category(N_("Language: %(value)s")),
    "company_industry": _category(N_("Industry: %(value)s")),
    "seniority": _category(N_("Seniority: %(value)s")),
    "email_domain_kind": _email_kind,
    "company_employees": _company_size,
    "company_revenue": _company_revenue,
}

DEAL_PHRASES: dict[str, Phrase] = {
    "stage": _category(N_("In stage %(value)s")),
    "pipeline": _category(N_("Pipeline: %(value)s")),
    "product": _category(N_("Product: %(value)s")),
    "company_industry": _category(N_("Industry: %(value)s")),
    "company_country": _category(N_("Customer in %(value)s")),
    "amount": _amount,
    "age_days": _days(N_("Open for 1 day"), N_("Open for %(n)s days")),
    "days_in_stage": _days(N_("1 day in the current stage"), N_("%(n)s days in the current stage")),
    "stage_probability": _share(N_("Stage win rate %(pct)s%%")),
    "stage_position": _stage_position,
    "contacts_count": _count(
        N_("1 person involved"), N_("%(n)s people involved"), N_("Nobody involved yet")
    ),
    "activities_total": _count(
        N_("1 activity so far"), N_("%(n)s activities so far"), N_("No activity logged yet")
    ),
    "activities_30d": _count(
        N_("1 activity in the last 30 days"),
        N_("%(n)s activities in the last 30 days"),
        N_("No activity in 30 days"),
    ),
    "meetings_total": LEAD_PHRASES["meetings_total"],
    "days_since_last_activity": _days_since(
        N_("Last activity %(days)s days ago"),
        N_("No activity for %(days)s days"),
        N_("No activity ever"),
    ),
    "owner_win_rate": _share(N_("Owner wins %(pct)s%% of closed deals")),
    "owner_open_deals": _count(
        N_("Owner has 1 open deal"),
        N_("Owner has %(n)s open deals"),
        N_("Owner has no other open deal"),
    ),
    "days_to_close_date": _close_date,
    "company_employees": _company_size,
    "company_revenue": _company_revenue,
    "contact_engagement_30d": _count(
        N_("Buyers engaged once in the last 30 days"),
        N_("Buyers engaged %(n)s times in the last 30 days"),
        N_("Buyers silent for 30 days"),
    ),
}

PHRASES = {"contacts": LEAD_PHRASES, "deals": DEAL_PHRASES}
"""The phrase book of each scored object type."""


def say(object_type: str, reason: dict[str, Any], words: Words) -> str:
    """A stored reason in ``words``' language, from its feature, value and impact; the stored
    sentence when its feature has no phrase (a generic feature, an older reason)."""
    text = str(reason.get("text", ""))
    phrase = PHRASES[object_type].get(str(reason.get("feature")))
    if phrase is None:
        return text
    return phrase(reason.get("value"), float(reason.get("impact") or 0.0), words)
