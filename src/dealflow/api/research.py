"""Research of a company's website: run it (POST) and read the current findings (GET).

A POST reads the website between two short transactions (plan, then save), so a slow
site never holds the database's write lock.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from dealflow.api.deps import ReaderDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.research import FindingOut, ResearchIn, ResearchOut
from dealflow.crm.access import Principal
from dealflow.models import ResearchRun
from dealflow.personalize.prospecting import agent, service
from dealflow.personalize.prospecting.agent import Plan, Research
from dealflow.personalize.prospecting.fetcher import SafeFetcher
from dealflow.personalize.prospecting.policy import FetchPolicy
from dealflow.settings import get_settings

router = APIRouter(prefix="/companies", tags=["research"], responses=ERROR_RESPONSES)
CompanyId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/{company_id}/research")
async def read_research(read: ReaderDep, company_id: CompanyId) -> ResearchOut:
    """The company's current findings, each with its source URL and quote."""
    return await read(lambda session, principal: _current(session, principal, company_id))


@router.post("/{company_id}/research", status_code=201)
async def research_company(
    request: Request, read: ReaderDep, company_id: CompanyId, body: ResearchIn
) -> ResearchOut:
    """Read the company's website (robots.txt obeyed, public addresses only) and the pages
    it links to; the findings replace the company's current ones."""
    policy = FetchPolicy.from_settings(get_settings())

    def plan(session: Session, principal: Principal) -> tuple[Principal, Plan]:
        planned = service.plan_research(
            session,
            principal,
            company_id,
            contact_id=body.contact_id,
            start_url=body.url,
            max_pages=body.max_pages or policy.max_pages,
        )
        return principal, planned

    principal, planned = await read(plan)
    research = await run_in_threadpool(_run, planned, policy)
    sessions = request.app.state.write_sessions
    return await run_in_threadpool(_save, sessions, principal, research)


def _run(plan: Plan, policy: FetchPolicy) -> Research:
    with SafeFetcher(policy) as fetcher:
        return agent.run(plan, fetcher)


def _save(sessions: sessionmaker[Session], principal: Principal, research: Research) -> ResearchOut:
    with sessions() as session, session.begin():
        service.do_save_research(session, principal, research)
        current = _current(session, principal, research.plan.company_id)
        return current.model_copy(update={"draft_id": research.draft_id})


def _current(session: Session, principal: Principal, company_id: int) -> ResearchOut:
    current = service.research_of(session, principal, company_id)
    findings = [FindingOut.model_validate(finding) for finding in current.findings]
    return _out(company_id, current.run, findings)


def _out(company_id: int, run: ResearchRun | None, findings: list[FindingOut]) -> ResearchOut:
    if run is None:
        return ResearchOut(company_id=company_id)
    return ResearchOut.model_validate(
        {
            "company_id": company_id,
            "run_id": run.id,
            "start_url": run.start_url,
            "method": run.method,
            "researched_at": run.finished_at,
            "contact_id": run.contact_id,
            "pages": run.pages,
            "refused": run.refused,
            "set_aside": run.set_aside,
            "findings": findings,
        }
    )
