"""The summary a rep reads on a routed lead's task: who, from where, the score and its
reasons, and what the lead did lately."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.contacts import contact_name
from dealflow.models import Company, Contact, EngagementEvent

RECENT = timedelta(days=30)
TOP_REASONS = 3


def lead_summary(session: Session, contact: Contact, now: datetime) -> str:
    """A few lines in words; only what the record holds (no guesses)."""
    lines = [
        f"Lead: {contact_name(contact)}" + (f", {contact.job_title}" if contact.job_title else "")
    ]
    if contact.company_id is not None:
        company = session.get(Company, contact.company_id)
        if company is not None:
            facts = [f for f in (company.industry, company.country) if f]
            if company.employees:
                facts.append(f"{company.employees:,} employees")
            lines.append(f"Company: {company.name}" + (f" ({', '.join(facts)})" if facts else ""))
    lines.append(f"Source: {contact.source or 'unknown'}")
    if contact.score is not None:
        reasons = [str(r["text"]) for r in (contact.score_reasons or [])[:TOP_REASONS]]
        band = f" (band {contact.score_band})" if contact.score_band else ""
        lines.append(
            f"Score: {contact.score}{band}" + (f"; because {'; '.join(reasons)}" if reasons else "")
        )
    lines.append(_behaviour(session, contact, now))
    return "\n".join(lines)


def _behaviour(session: Session, contact: Contact, now: datetime) -> str:
    events = session.execute(
        select(EngagementEvent.kind, EngagementEvent.url)
        .where(
            EngagementEvent.workspace_id == contact.workspace_id,
            EngagementEvent.contact_id == contact.id,
            EngagementEvent.occurred_at >= now - RECENT,
        )
        .order_by(EngagementEvent.occurred_at.desc(), EngagementEvent.id.desc())
    ).all()
    if not events:
        return f"Recent behaviour: nothing in the last {RECENT.days} days"
    counts = Counter(str(row[0]) for row in events)
    kinds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.most_common())
    latest = next((str(row[1]) for row in events if row[1]), None)
    return f"Recent behaviour ({RECENT.days} days): {kinds}" + (
        f"; latest page {latest}" if latest else ""
    )
