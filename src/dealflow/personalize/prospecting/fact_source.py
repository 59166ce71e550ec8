"""Research findings as facts a draft may state: the company's current findings, each
bound to its source URL. Importing this module (``prospecting.service`` does) registers the
source with the context builder (``personalize.context.FACT_SOURCES``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.personalize.context import Fact, Subject, register_fact_source
from dealflow.personalize.prospecting.findings import findings_for


class ResearchSource:
    """What the contact's company's own website says (``research.<kind>`` facts)."""

    name = "research"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        if subject.company is None:
            return []
        return [
            Fact(
                key=f"research.{finding.kind}",
                value=finding.statement,
                object="companies",
                record_id=subject.company.id,
                field=f"research {finding.kind}",
                detail=finding.source_url,
                at=finding.fetched_at,
            )
            for finding in findings_for(session, subject.workspace.id, subject.company.id)
        ]


RESEARCH_SOURCE = register_fact_source(ResearchSource())
