"""Contacts' behaviour: page views, newsletter opens and clicks, forms, webinars, trade shows,
social interactions and replies.

How much a contact does is drawn from their hidden propensity, so behaviour carries signal;
it is also noisy, so it never gives the outcome away. The events that cause a stage (the form
behind an MQL, the demo request behind an SQL) come just before it.
"""

from __future__ import annotations

import math
from random import Random
from typing import Any

from dealflow.demo.contacts import ContactPlan
from dealflow.demo.draws import logistic, poisson
from dealflow.demo.marketing import (
    CONTENT_FORMS,
    REFERRERS,
    SOCIAL_ACTIONS,
    SOCIAL_NETWORKS,
    Calendar,
)
from dealflow.demo.timeline import MINUTE, Window

SIGN_UP_FORMS = {
    "organic_search": "contact_us",
    "paid_search": "contact_us",
    "content_download": "ebook_download",
    "social_media": "newsletter_signup",
    "webinar": "webinar_registration",
}
"""The form by which contacts from each inbound source entered the CRM."""
SESSIONS = 2.8
PAGES_PER_SESSION = 1.3
SOCIAL_INTERACTIONS = 1.0
RAMP_DAYS = 90.0
"""Contacts known for a short while have had less time to do anything."""
DEMO_REQUEST_SHARE = 0.7


class EventLog:
    """Collects events, leaving out what the window's end would cut off."""

    def __init__(self, window: Window) -> None:
        self.last = window.last
        self._events: list[tuple[float, str, ContactPlan, str | None, dict[str, Any]]] = []

    def add(
        self, contact: ContactPlan, at: float, kind: str, url: str | None = None, **properties: str
    ) -> None:
        """Record an event of ``contact`` (its properties as keywords)."""
        if at < self.last:
            self._events.append((at, kind, contact, url, properties))

    def rows(self, window: Window) -> list[dict[str, Any]]:
        """The events as rows for the ``engagement_events`` table, oldest first."""
        self._events.sort(key=lambda event: event[0])
        moment = window.moment
        return [
            {
                "kind": kind,
                "occurred_at": moment(at),
                "contact_id": contact.id,
                "company_id": contact.company.id,
                "url": url,
                "properties": properties,
            }
            for at, kind, contact, url, properties in self._events
        ]


def engagement_events(
    rng: Random,
    contacts: list[ContactPlan],
    replies: list[tuple[float, ContactPlan]],
    window: Window,
) -> list[dict[str, Any]]:
    """Every engagement event of the window, oldest first, as rows."""
    calendar = Calendar(window)
    log = EventLog(window)
    for contact in contacts:
        _sign_up(rng, log, contact, calendar)
        _stage_causes(rng, log, contact, calendar)
        _browsing(rng, log, contact, calendar, window)
        _newsletters(rng, log, contact, calendar)
        _webinars_and_shows(rng, log, contact, calendar)
        _social(rng, log, contact, window)
    for at, contact in replies:
        log.add(contact, at, "email_reply")
    return log.rows(window)


def _activity_level(contact: ContactPlan, window: Window) -> float:
    return contact.engagement * (1.0 - math.exp(-(window.last - contact.created) / RAMP_DAYS))


def _sign_up(rng: Random, log: EventLog, contact: ContactPlan, calendar: Calendar) -> None:
    """How the contact entered the CRM: a form, or a badge scan at a trade show."""
    form = SIGN_UP_FORMS.get(contact.source)
    if form is not None:
        log.add(contact, contact.created, "form_submit", form=form)
    elif contact.source == "trade_show":
        show = rng.choice(calendar.trade_shows[contact.language].occasions)
        log.add(contact, contact.created, "event_attendance", event=show.name)


def _stage_causes(rng: Random, log: EventLog, contact: ContactPlan, calendar: Calendar) -> None:
    """A content download just before becoming an MQL; usually a demo request before SQL."""
    site = calendar.sites[contact.language]
    start = contact.created
    mql = contact.reached("mql")
    if mql is not None:
        post, form = rng.choice(site.blog), rng.choice(CONTENT_FORMS)
        log.add(contact, max(start, mql - 5 * MINUTE), "page_view", post, referrer="newsletter")
        log.add(contact, max(start, mql - 2 * MINUTE), "form_submit", form=form)
    sql = contact.reached("sql")
    if sql is not None and rng.random() < DEMO_REQUEST_SHARE:
        log.add(contact, max(start, sql - 0.3), "page_view", site.demo, referrer="direct")
        log.add(contact, max(start, sql - 0.29), "form_submit", form="demo_request")


def _browsing(
    rng: Random, log: EventLog, contact: ContactPlan, calendar: Calendar, window: Window
) -> None:
    """Website sessions; likelier buyers look at pricing and demo pages more often."""
    site = calendar.sites[contact.language]
    pricing_below = logistic(-2.4 + contact.propensity)
    demo_below = 1.3 * pricing_below
    for _ in range(poisson(rng, SESSIONS * _activity_level(contact, window))):
        at = rng.uniform(contact.created, window.last)
        referrer = REFERRERS.draw(rng)
        for _ in range(1 + poisson(rng, PAGES_PER_SESSION)):
            roll = rng.random()
            if roll < pricing_below:
                url = site.pricing
            elif roll < demo_below:
                url = site.demo
            else:
                url = site.pages.draw(rng)
            log.add(contact, at, "page_view", url, referrer=referrer)
            at += rng.uniform(0.5, 4.0) * MINUTE


def _newsletters(rng: Random, log: EventLog, contact: ContactPlan, calendar: Calendar) -> None:
    """Opens and clicks of the newsletters sent since the contact signed up."""
    if contact.do_not_email:
        return
    site = calendar.sites[contact.language]
    opens = logistic(-1.1 + 0.7 * contact.propensity)
    clicks = logistic(-1.4 + 0.6 * contact.propensity)
    for newsletter in calendar.newsletters[contact.language].after(contact.created):
        if rng.random() >= opens:
            continue
        opened = newsletter.day + rng.expovariate(1.0 / 0.3)
        log.add(contact, opened, "email_open", campaign=newsletter.name)
        if rng.random() < clicks:
            url = f"{rng.choice(site.blog)}?utm_source=newsletter&utm_campaign={newsletter.name}"
            clicked = opened + rng.uniform(0.5, 20.0) * MINUTE
            log.add(contact, clicked, "email_click", url, campaign=newsletter.name)


def _webinars_and_shows(
    rng: Random, log: EventLog, contact: ContactPlan, calendar: Calendar
) -> None:
    """Webinars (registered for a few days ahead) and trade-show visits."""
    attends = logistic(-3.4 + 0.9 * contact.propensity)
    for webinar in calendar.webinars[contact.language].after(contact.created):
        if rng.random() >= attends:
            continue
        registered = webinar.day - rng.uniform(1.0, 10.0)
        if registered >= contact.created:
            form = "webinar_registration"
            log.add(contact, registered, "form_submit", form=form, webinar=webinar.name)
        joined = webinar.day + rng.uniform(0.0, 10.0) * MINUTE
        log.add(contact, joined, "webinar_attendance", webinar=webinar.name)
    visits = logistic(-4.3 + 0.7 * contact.propensity)
    for show in calendar.trade_shows[contact.language].after(contact.created):
        if rng.random() < visits:
            visited = show.day + rng.uniform(0.0, 0.4)
            log.add(contact, visited, "event_attendance", event=show.name)


def _social(rng: Random, log: EventLog, contact: ContactPlan, window: Window) -> None:
    """Likes, comments, shares and follows on the vendor's social channels."""
    networks = SOCIAL_NETWORKS[contact.language]
    for _ in range(poisson(rng, SOCIAL_INTERACTIONS * _activity_level(contact, window))):
        at = rng.uniform(contact.created, window.last)
        network, action = networks.draw(rng), SOCIAL_ACTIONS.draw(rng)
        log.add(contact, at, "social_interaction", network=network, action=action)
