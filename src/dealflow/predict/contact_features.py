"""Lead-scoring features of contacts "as of" a time, from the store and its history.

Every value is what was known at the snapshot time: properties through their change history,
behaviour counted only up to that time. Nothing a contact did afterwards can reach a feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy.orm import Session

from dealflow.core.aside import Aside, reads_aside
from dealflow.core.dialect import dialect_of
from dealflow.models import Contact
from dealflow.predict.behaviour import (
    Behaviour,
    EventBehaviour,
    EventGroup,
    Question,
    index_events,
    read_behaviour_at,
)
from dealflow.predict.facts import (
    RecordTable,
    numbers,
    per_distinct_value,
    read_activities,
    read_companies,
    read_engagement,
    read_histories,
    read_records,
)
from dealflow.predict.timeline import DAY, Ints, ValueHistory, epoch_of
from dealflow.predict.vocabulary import domain_kind, email_domains, seniority

PROPERTIES = (
    "email",
    "phone",
    "job_title",
    "company_id",
    "source",
    "country",
    "language",
    "lead_status",
    "lifecycle_stage",
)
"""Contact properties read "as of" the snapshot time through their history."""

COMPLETENESS_PROPERTIES = ("email", "phone", "job_title", "company_id", "country", "source")

PRICING_PAGE = r"pric|/plans?\b|料金|価格|가격|요금|قیمت|تعرفه"
"""A page about prices, in a URL path (English words and the product's other languages)."""

ENGAGEMENT_GROUPS: dict[str, EventGroup] = {
    "page_views": EventGroup(("page_view",)),
    "pricing_views": EventGroup(("page_view",), url_pattern=PRICING_PAGE),
    "email_opens": EventGroup(("email_open",)),
    "email_clicks": EventGroup(("email_click",)),
    "email_replies": EventGroup(("email_reply",)),
    "forms": EventGroup(("form_submit",)),
    "events": EventGroup(("event_attendance", "webinar_attendance")),
    "social": EventGroup(("social_interaction",)),
    "engagement": EventGroup(),
}
WINDOWS: dict[str, tuple[int, ...]] = {
    "page_views": (7, 30, 90),
    "pricing_views": (7, 30, 90),
    "email_opens": (30,),
    "email_clicks": (30,),
    "email_replies": (30, 90),
    "forms": (90,),
    "events": (90,),
    "social": (90,),
}
"""Which behaviour is counted over which windows (days before the snapshot)."""
RECENCY = {
    "days_since_last_engagement": "engagement",
    "days_since_last_reply": "email_replies",
}
"""Days since the last event of a group."""

ACTIVITY_TOTALS: dict[str, EventGroup] = {
    "calls_total": EventGroup(("call",)),
    "meetings_total": EventGroup(("meeting",)),
    "emails_total": EventGroup(("email",)),
    "notes_total": EventGroup(("note",)),
}
"""Logged activities of each kind, ever (up to the snapshot)."""

QUESTIONS = (
    *(Question(group, days) for group, windows in WINDOWS.items() for days in windows),
    *(Question(group, last=True) for group in RECENCY.values()),
    *(Question(name) for name in ACTIVITY_TOTALS),
)
"""What the behaviour features ask of the events."""

CATEGORICAL = (
    "source",
    "lifecycle_stage",
    "lead_status",
    "country",
    "language",
    "company_industry",
    "email_domain_kind",
    "seniority",
)


@dataclass(frozen=True)
class ContactFacts:
    """What the store knows about a workspace's contacts, read once for many snapshots."""

    contacts: RecordTable
    created: npt.NDArray[np.float64]
    histories: dict[str, ValueHistory]
    companies: RecordTable
    behaviour: Behaviour

    def created_at(self, contact_ids: Ints) -> npt.NDArray[np.float64]:
        """Creation time (epoch seconds) of each contact."""
        return self.created[np.searchsorted(self.contacts.ids, contact_ids)]


def read_contact_facts(
    session: Session, workspace_id: int, *, only_as_of: datetime | None = None
) -> ContactFacts:
    """Read everything contact features need, in a handful of queries.

    With ``only_as_of`` the facts answer for that one moment only (scoring now): the
    database counts behaviour per contact, and only history after the moment is read.
    Independent reads run aside, overlapping (``dealflow.core.aside``).
    """
    with reads_aside(session) as aside:
        records = aside.start(
            partial(_read_records, workspace_id=workspace_id, only_as_of=only_as_of)
        )
        behaviour = _read_behaviour(session, workspace_id, only_as_of, aside)
        contacts, histories, companies = records.result()
    return ContactFacts(
        contacts=contacts,
        created=contacts.columns["created_at"].astype(np.float64),
        histories=histories,
        companies=companies,
        behaviour=behaviour,
    )


def _read_records(
    session: Session, *, workspace_id: int, only_as_of: datetime | None
) -> tuple[RecordTable, dict[str, ValueHistory], RecordTable]:
    """The contacts, their properties' history (after ``only_as_of`` when given) and the
    companies."""
    columns = [getattr(Contact, name) for name in PROPERTIES]
    created = dialect_of(session).epoch_seconds(Contact.created_at).label("created_at")
    return (
        read_records(session, Contact, workspace_id, [created, *columns]),
        read_histories(session, workspace_id, "contacts", PROPERTIES, changed_after=only_as_of),
        read_companies(session, workspace_id),
    )


def _read_behaviour(
    session: Session, workspace_id: int, only_as_of: datetime | None, aside: Aside
) -> Behaviour:
    if only_as_of is not None:
        return read_behaviour_at(
            session,
            workspace_id,
            epoch_of(only_as_of),
            engagement=ENGAGEMENT_GROUPS,
            activities=ACTIVITY_TOTALS,
            questions=QUESTIONS,
            aside=aside,
        )
    engagement = read_engagement(session, workspace_id)
    activities = read_activities(session, workspace_id, of="contact")
    return EventBehaviour(
        {
            **index_events(engagement, ENGAGEMENT_GROUPS),
            **index_events(activities, ACTIVITY_TOTALS),
        }
    )


def contact_features(facts: ContactFacts, contact_ids: Ints, as_of: Ints) -> pd.DataFrame:
    """One row of features per (contact, time) pair, using only what was known at that time."""
    contact_ids = np.asarray(contact_ids, dtype=np.int64)
    as_of = np.asarray(as_of, dtype=np.int64)
    rows = np.searchsorted(facts.contacts.ids, contact_ids)
    known = {
        name: facts.histories[name].values_at(
            contact_ids, as_of, facts.contacts.columns[name][rows]
        )
        for name in PROPERTIES
    }
    features: dict[str, object] = {
        name: known[name] for name in ("source", "lifecycle_stage", "lead_status", "language")
    }
    company = known["company_id"]
    company_country = facts.companies.lookup("country", company)
    country = known["country"].copy()
    unknown = pd.isna(country)
    country[unknown] = company_country[unknown]  # a contact's country defaults to its company's
    features["country"] = country
    features["company_industry"] = facts.companies.lookup("industry", company)
    domains = np.array(email_domains(known["email"]), dtype=object)
    features["email_domain_kind"] = per_distinct_value(domains, domain_kind)
    features["seniority"] = per_distinct_value(known["job_title"], seniority)
    features["company_employees"] = numbers(facts.companies.lookup("employees", company))
    features["company_revenue"] = numbers(facts.companies.lookup("annual_revenue", company))
    behaviour = facts.behaviour
    for group, windows in WINDOWS.items():
        for days in windows:
            features[f"{group}_{days}d"] = behaviour.count(group, contact_ids, as_of, days)
    for name, group in RECENCY.items():
        features[name] = _days_since(behaviour.last(group, contact_ids, as_of), as_of)
    features["days_since_created"] = _days_since(facts.created[rows], as_of)
    for name in ACTIVITY_TOTALS:
        features[name] = behaviour.count(name, contact_ids, as_of, None)
    filled = [pd.notna(known[name]) for name in COMPLETENESS_PROPERTIES]
    features["completeness"] = np.mean(filled, axis=0) if len(contact_ids) else np.zeros(0)
    for name in CATEGORICAL:  # Python values, None where unknown (never pandas' text type)
        values = np.array(features[name], dtype=object)
        values[pd.isna(values)] = None
        features[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(features)


def _days_since(moments: npt.NDArray[np.float64], as_of: Ints) -> npt.NDArray[np.float64]:
    return (as_of - moments) / DAY
