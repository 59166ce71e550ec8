"""Research as a unit of work sees it: plan from the CRM, save the outcome, read findings.

The website is read between ``plan_research`` and ``do_save_research`` (``agent.run``),
outside any transaction, so a slow site never holds a database lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError
from dealflow.crm import access, outbox
from dealflow.crm.access import Principal
from dealflow.models import Company, Contact, ResearchFinding, ResearchRun
from dealflow.personalize import review
from dealflow.personalize.prospecting import fact_source, repository
from dealflow.personalize.prospecting.agent import Plan, Research, Step
from dealflow.personalize.prospecting.findings import findings_for
from dealflow.personalize.prospecting.schemas import Finding

__all__ = ["RESEARCHED", "CompanyResearch", "do_save_research", "findings_for", "plan_research"]
assert fact_source.RESEARCH_SOURCE  # drafts' contexts read the findings as facts

RESEARCHED = "company.researched"
"""Outbox topic of a finished research run (a workflow drafts the first email from it)."""


def website_of(company: Company) -> str | None:
    """The company's website: its ``website`` property, else ``https://<domain>/``."""
    website = (company.properties or {}).get("website")
    if isinstance(website, str) and website.strip():
        website = website.strip()
        return website if "://" in website else f"https://{website}"
    return f"https://{company.domain.strip().strip('/')}/" if company.domain else None


def plan_research(
    session: Session,
    principal: Principal,
    company_id: int,
    *,
    contact_id: int | None = None,
    start_url: str | None = None,
    max_pages: int = 8,
) -> Plan:
    """The plan of a research of a company ``principal`` may see (NotFoundError if not)."""
    company: Company = access.read(session, principal, "companies", company_id)
    recipient = None
    if contact_id is not None:
        contact: Contact = access.read(session, principal, "contacts", contact_id)
        if contact.company_id != company.id:
            raise InvalidInputError(
                f"contacts #{contact.id} does not work at companies #{company.id} ({company.name})"
            )
        recipient = contact.email
    url = start_url or website_of(company)
    if not url:
        raise InvalidInputError(
            f"companies #{company.id} ({company.name}) has no website or domain: give a URL"
        )
    if max_pages < 1:
        raise InvalidInputError(f"max_pages: must be at least 1, not {max_pages}")
    return Plan(
        principal.workspace_id,
        company.id,
        company.name,
        url,
        max_pages,
        contact_id,
        recipient,
        principal.user_id or None,  # 0: the machine's operator (the command line)
    )


def operator(workspace_id: int) -> Principal:
    """Whoever runs the command line on the server: an admin of the workspace, no user."""
    return Principal(workspace_id, 0, access.ADMIN)


def do_save_research(session: Session, principal: Principal, research: Research) -> ResearchRun:
    """Store a run's findings as the company's current ones (older runs become history),
    put the first email to the plan's contact (if any) in the review queue, and announce
    the run on the outbox; the caller commits."""
    plan = research.plan
    access.read(session, principal, "companies", plan.company_id)
    repository.retire_runs(session, plan.workspace_id, plan.company_id)
    run = ResearchRun(
        workspace_id=plan.workspace_id,
        company_id=plan.company_id,
        contact_id=plan.contact_id,
        requested_by=plan.requested_by,
        start_url=plan.start_url,
        method=research.method,
        started_at=research.started_at,
        finished_at=research.finished_at,
        is_current=True,
        pages=[
            {
                "url": page.url,
                "kind": page.kind,
                "title": page.title,
                "fetched_at": page.fetched_at.isoformat(),
                "truncated": page.truncated,
            }
            for page in research.pages
        ],
        refused=[{"url": item.url, "reason": item.reason} for item in research.refused],
        set_aside=[
            {"source_url": item.source_url, "snippet": item.snippet, "reason": item.reason}
            for item in research.set_aside
        ],
    )
    session.add(run)
    session.flush()
    session.add_all(
        ResearchFinding(
            workspace_id=plan.workspace_id,
            run_id=run.id,
            company_id=plan.company_id,
            position=position,
            kind=finding.kind,
            statement=finding.statement,
            snippet=finding.snippet,
            source_url=finding.source_url,
            fetched_at=finding.fetched_at,
            method=finding.method,
        )
        for position, finding in enumerate(research.findings)
    )
    research.trace.append(Step("store_findings", f"companies #{plan.company_id}"))
    if plan.contact_id is not None:
        session.flush()
        draft = review.do_queue_draft(session, principal, plan.contact_id, source="prospecting")
        research.draft_id = draft.id
        research.trace.append(Step("queue_draft", f"contacts #{plan.contact_id}"))
    outbox.emit(
        session,
        plan.workspace_id,
        RESEARCHED,
        "companies",
        plan.company_id,
        {
            "run_id": run.id,
            "contact_id": plan.contact_id,
            "draft_id": research.draft_id,
            "findings": len(research.findings),
        },
    )
    research.trace.append(
        Step("announce_research", f"contacts #{plan.contact_id}" if plan.contact_id else "")
    )
    session.flush()
    repository.prune_runs(session, plan.workspace_id, plan.company_id)
    return run


@dataclass(frozen=True)
class CompanyResearch:
    """A company's current research run (None if never researched) and its findings."""

    run: ResearchRun | None
    findings: list[Finding]


def research_of(session: Session, principal: Principal, company_id: int) -> CompanyResearch:
    """The current research of a company ``principal`` may see."""
    access.read(session, principal, "companies", company_id)
    run = repository.current_run(session, principal.workspace_id, company_id)
    return CompanyResearch(run, findings_for(session, principal.workspace_id, company_id))
