"""The findings a company's current research holds (what a draft's context reads)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.personalize.prospecting import repository
from dealflow.personalize.prospecting.schemas import Finding


def findings_for(session: Session, workspace_id: int, company_id: int) -> list[Finding]:
    """The company's current findings, each with its source URL and quoted snippet (the
    fact source a draft's context reads; empty when the company was never researched)."""
    run = repository.current_run(session, workspace_id, company_id)
    if run is None:
        return []
    return [
        Finding(row.kind, row.statement, row.snippet, row.source_url, row.fetched_at, row.method)
        for row in repository.findings_of_run(session, workspace_id, run.id)
    ]
