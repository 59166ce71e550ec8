"""Sentences a rep understands for each CRM feature behind a score.

Each phrase takes the feature's value and its contribution (positive raises the score) and
says what happened, in words: "Visited the pricing page 3 times in the last 7 days".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Phrase = Callable[[Any, float], str]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _label(value: Any) -> str:
    return str(value).replace("_", " ")


def _count(template: str, none: str) -> Phrase:
    """A window count: the template for some, ``none`` for zero."""

    def phrase(value: Any, _: float) -> str:
        n = 0 if _missing(value) else int(value)
        return none if n == 0 else template.format(n=n, times=_times(n))

    return phrase


def _days_since(recent: str, long_ago: str, never: str) -> Phrase:
    def phrase(value: Any, contribution: float) -> str:
        if _missing(value):
            return never
        days = max(0, round(float(value)))
        return (long_ago if contribution < 0 else recent).format(days=days)

    return phrase


def _category(template: str) -> Phrase:
    def phrase(value: Any, _: float) -> str:
        return template.format(value="unknown" if _missing(value) else _label(value))

    return phrase


def _email_kind(value: Any, _: float) -> str:
    return {
        "free": "Uses a personal email address",
        "corporate": "Uses a company email address",
    }.get(value, "No email address on record")


def _company_size(value: Any, _: float) -> str:
    return "Company size unknown" if _missing(value) else f"Company of {int(value):,} employees"


def _close_date(value: Any, _: float) -> str:
    if _missing(value):
        return "No close date set"
    days = round(float(value))
    if days < 0:
        return f"Close date passed {_plural(-days, 'day')} ago"
    return f"Expected to close in {_plural(days, 'day')}"


def _share(template: str) -> Phrase:
    def phrase(value: Any, _: float) -> str:
        return template.format(pct=0 if _missing(value) else round(100 * float(value)))

    return phrase


def _amount(value: Any, _: float) -> str:
    return "No amount set" if _missing(value) else f"Amount {float(value):,.0f}"


def _days(template: str) -> Phrase:
    def phrase(value: Any, _: float) -> str:
        return template.format(days=_plural(max(0, round(float(value))), "day"))

    return phrase


LEAD_PHRASES: dict[str, Phrase] = {
    "page_views_7d": _count("Visited the website {times} this week", "No website visits this week"),
    "page_views_30d": _count(
        "Visited the website {times} in the last 30 days", "No website visits in 30 days"
    ),
    "page_views_90d": _count(
        "Visited the website {times} in the last 90 days", "No website visits in 90 days"
    ),
    "pricing_views_7d": _count(
        "Visited the pricing page {times} this week", "No pricing page visit this week"
    ),
    "pricing_views_30d": _count(
        "Visited the pricing page {times} in the last 30 days", "No pricing page visit in 30 days"
    ),
    "pricing_views_90d": _count(
        "Visited the pricing page {times} in the last 90 days", "Never looked at pricing"
    ),
    "email_opens_30d": _count("Opened emails {times} in 30 days", "Opened no email in 30 days"),
    "email_clicks_30d": _count(
        "Clicked links in emails {times} in 30 days", "Clicked no email link in 30 days"
    ),
    "email_replies_30d": _count("Replied {times} in the last 30 days", "No reply in 30 days"),
    "email_replies_90d": _count("Replied {times} in the last 90 days", "No reply in 90 days"),
    "forms_90d": _count("Filled in a form {times} in 90 days", "No form filled in 90 days"),
    "events_90d": _count(
        "Attended an event or webinar {times} in 90 days", "No event or webinar in 90 days"
    ),
    "social_90d": _count(
        "Interacted on social media {times} in 90 days", "No social interaction in 90 days"
    ),
    "days_since_last_engagement": _days_since(
        "Active {days} days ago", "No activity for {days} days", "Has never engaged"
    ),
    "days_since_last_reply": _days_since(
        "Replied {days} days ago", "No reply in {days} days", "Has never replied"
    ),
    "days_since_created": _days("Lead since {days}"),
    "calls_total": _count("{n} calls logged", "No call logged yet"),
    "meetings_total": _count("{n} meetings held", "No meeting held yet"),
    "emails_total": _count("{n} emails exchanged", "No email exchanged yet"),
    "notes_total": _count("{n} notes from the team", "No notes yet"),
    "completeness": _share("Profile {pct}% complete"),
    "source": _category("Came in through {value}"),
    "lifecycle_stage": _category("Lifecycle stage: {value}"),
    "lead_status": _category("Lead status: {value}"),
    "country": _category("Based in {value}"),
    "language": _category("Language: {value}"),
    "company_industry": _category("Industry: {value}"),
    "seniority": _category("Seniority: {value}"),
    "email_domain_kind": _email_kind,
    "company_employees": _company_size,
    "company_revenue": lambda value, _: (
        "Company revenue unknown" if _missing(value) else f"Company revenue {float(value):,.0f}"
    ),
}

DEAL_PHRASES: dict[str, Phrase] = {
    "stage": _category("In stage {value}"),
    "pipeline": _category("Pipeline: {value}"),
    "product": _category("Product: {value}"),
    "company_industry": _category("Industry: {value}"),
    "company_country": _category("Customer in {value}"),
    "amount": _amount,
    "age_days": _days("Open for {days}"),
    "days_in_stage": _days("{days} in the current stage"),
    "stage_probability": _share("Stage win rate {pct}%"),
    "stage_position": lambda value, _: (
        "Early in the pipeline" if _missing(value) or float(value) < 2 else "Late in the pipeline"
    ),
    "contacts_count": _count("{n} people involved", "Nobody involved yet"),
    "activities_total": _count("{n} activities so far", "No activity logged yet"),
    "activities_30d": _count("{n} activities in the last 30 days", "No activity in 30 days"),
    "meetings_total": _count("{n} meetings held", "No meeting held yet"),
    "days_since_last_activity": _days_since(
        "Last activity {days} days ago", "No activity for {days} days", "No activity ever"
    ),
    "owner_win_rate": _share("Owner wins {pct}% of closed deals"),
    "owner_open_deals": _count("Owner has {n} open deals", "Owner has no other open deal"),
    "days_to_close_date": _close_date,
    "company_employees": _company_size,
    "company_revenue": LEAD_PHRASES["company_revenue"],
    "contact_engagement_30d": _count(
        "Buyers engaged {times} in the last 30 days", "Buyers silent for 30 days"
    ),
}
