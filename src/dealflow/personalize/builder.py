"""Build a draft's context from every registered fact source."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.personalize import crm_sources
from dealflow.personalize.context import FACT_SOURCES, Context, subject_for
from dealflow.personalize.prospecting import fact_source

# every source is registered before any context is built, whichever process builds it
assert crm_sources.CRM_SOURCES and fact_source.RESEARCH_SOURCE


def build_context(
    session: Session, workspace_id: int, contact_id: int, deal_id: int | None = None
) -> Context:
    """Every fact the registered sources know about the contact (and deal)."""
    subject = subject_for(session, workspace_id, contact_id, deal_id)
    context = Context(subject)
    for source in FACT_SOURCES.values():
        context.facts.extend(source.facts(session, subject))
    return context
