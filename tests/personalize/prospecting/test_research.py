"""Research end to end: a real website on loopback, findings stored with their sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.access import principal_for
from dealflow.models import Company, Draft, ResearchRun, Workspace
from dealflow.personalize.context import subject_for
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.prospecting import agent, service
from dealflow.personalize.prospecting.fact_source import RESEARCH_SOURCE
from dealflow.personalize.prospecting.suite.server import LocalSite, Reply
from tests.factories import events_of, make_company, make_contact, make_user
from tests.personalize.prospecting.conftest import fetcher_for


def research(session: Session, workspace: Workspace, site: LocalSite, **plan: object):  # type: ignore[no-untyped-def]
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace, name="Northwind Robotics")
    principal = principal_for(admin)
    planned = service.plan_research(
        session,
        principal,
        company.id,
        start_url=site.url("/"),
        **plan,  # type: ignore[arg-type]
    )
    with fetcher_for(site) as fetcher:
        outcome = agent.run(planned, fetcher)
    run = service.do_save_research(session, principal, outcome)
    return principal, company, outcome, run


def test_the_site_and_the_pages_it_links_to_become_findings_with_sources(
    session: Session, workspace: Workspace, site: LocalSite, frozen_clock: FrozenClock
) -> None:
    _, company, _, run = research(session, workspace, site)

    findings = service.findings_for(session, workspace.id, company.id)
    by_kind = {f.kind: [x.statement for x in findings if x.kind == f.kind] for f in findings}
    assert "Northwind Robotics builds autonomous forklifts for warehouses." in by_kind["summary"]
    assert "NW-200 Autonomous Forklift" in by_kind["product"]
    assert "Northwind opens a plant in Osaka (2026-10-14)" in by_kind["news"]
    assert "Open position: Senior Robotics Engineer" in by_kind["hiring"]
    assert "We have offices in Rotterdam, Osaka and Chicago." in by_kind["location"]
    assert by_kind["language"] == ["Website languages: en, ja"]
    assert {"WordPress", "AWS", "Kubernetes", "Python"} <= set(by_kind["technology"])
    for finding in findings:
        assert finding.source_url.startswith(site.url("/"))
        assert finding.fetched_at == frozen_clock.now()
    assert [page["kind"] for page in run.pages] == ["home", "about", "products", "news", "careers"]
    assert "/brochure.pdf" not in site.requests  # files and other sites are not read


def test_the_start_page_counts_towards_the_page_limit(
    session: Session, workspace: Workspace, site: LocalSite
) -> None:
    research(session, workspace, site, max_pages=2)
    assert [path for path in site.requests if path != "/robots.txt"] == ["/", "/about"]


def test_re_research_replaces_the_findings_and_keeps_a_short_history(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace, name="Northwind Robotics")
    principal = principal_for(admin)
    for version in range(7):
        pages = {"/": Reply(f"<html><body><p>We build forklift model {version}.</p></body></html>")}
        with LocalSite(pages) as site, fetcher_for(site) as fetcher:
            planned = service.plan_research(session, principal, company.id, start_url=site.url())
            service.do_save_research(session, principal, agent.run(planned, fetcher))
        frozen_clock.advance(timedelta(days=1))

    [finding] = service.findings_for(session, workspace.id, company.id)
    assert finding.statement == "We build forklift model 6."
    runs = session.scalars(select(ResearchRun).where(ResearchRun.company_id == company.id)).all()
    assert len(runs) == 5
    assert [run.is_current for run in runs].count(True) == 1
    assert len(events_of(session, workspace, service.RESEARCHED)) == 7


def test_research_for_a_contact_queues_the_first_email_for_review_and_is_announced(
    session: Session, workspace: Workspace, site: LocalSite
) -> None:
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace, name="Northwind Robotics")
    contact = make_contact(session, workspace, email="ana@northwind.test", company_id=company.id)
    principal = principal_for(admin)
    planned = service.plan_research(
        session, principal, company.id, contact_id=contact.id, start_url=site.url()
    )
    assert planned.recipient == "ana@northwind.test"
    with fetcher_for(site) as fetcher:
        outcome = agent.run(planned, fetcher)
    run = service.do_save_research(session, principal, outcome)

    [draft] = session.scalars(select(Draft).where(Draft.contact_id == contact.id)).all()
    assert (draft.status, draft.source) == ("pending", "prospecting")
    research_facts = [fact for fact in draft.facts if fact["key"].startswith("research.")]
    assert any("offices in Rotterdam" in fact["value"] for fact in research_facts)
    [event] = events_of(session, workspace, service.RESEARCHED)
    assert event.record_id == company.id
    assert event.payload == {
        "run_id": run.id,
        "contact_id": contact.id,
        "draft_id": draft.id,
        "findings": len(outcome.findings),
    }
    assert [step.action for step in outcome.trace][-4:] == [
        "extract",
        "store_findings",
        "queue_draft",
        "announce_research",
    ]


def test_what_cannot_be_researched_says_why(session: Session, workspace: Workspace) -> None:
    admin = make_user(session, workspace, role="admin")
    principal = principal_for(admin)
    bare = make_company(session, workspace, name="No Web Ltd", domain=None)
    other = make_company(session, workspace, name="Other")
    stranger = make_contact(session, workspace, company_id=other.id)
    with pytest.raises(InvalidInputError, match="has no website or domain"):
        service.plan_research(session, principal, bare.id)
    with pytest.raises(InvalidInputError, match="does not work at"):
        service.plan_research(session, principal, bare.id, contact_id=stranger.id)
    rep = principal_for(make_user(session, workspace, role="rep"))
    with pytest.raises(NotFoundError):
        service.plan_research(session, rep, other.id)


def test_the_website_comes_from_the_property_or_the_domain() -> None:
    with_domain = Company(name="Northwind", domain="northwind.test", properties={})
    with_site = Company(name="Northwind", properties={"website": "www.nw.test/en"})
    assert service.website_of(with_domain) == "https://northwind.test/"
    assert service.website_of(with_site) == "https://www.nw.test/en"


def test_findings_become_facts_of_the_contacts_context(
    session: Session, workspace: Workspace, site: LocalSite
) -> None:
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace, name="Northwind Robotics")
    contact = make_contact(session, workspace, company_id=company.id)
    principal = principal_for(admin)
    planned = service.plan_research(session, principal, company.id, start_url=site.url())
    with fetcher_for(site) as fetcher:
        service.do_save_research(session, principal, agent.run(planned, fetcher))

    facts = RESEARCH_SOURCE.facts(session, subject_for(session, workspace.id, contact.id))
    offices = next(fact for fact in facts if "offices in" in fact.value)
    assert offices.key == "research.location"
    assert offices.detail == site.url("/about")
    assert offices.source() == f"companies #{company.id} research location"


def test_an_offline_draft_mentions_a_researched_finding_with_its_page(
    session: Session, workspace: Workspace, site: LocalSite
) -> None:
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace, name="Northwind Robotics")
    contact = make_contact(session, workspace, company_id=company.id, language="en")
    principal = principal_for(admin)
    planned = service.plan_research(session, principal, company.id, start_url=site.url())
    with fetcher_for(site) as fetcher:
        service.do_save_research(session, principal, agent.run(planned, fetcher))

    checked = Drafter(session, workspace.id).compose(contact.id)
    mentioned = [
        fact
        for fact in checked.context.facts
        if fact.key in ("research.news", "research.product") and fact.value in checked.draft.body
    ]
    assert len(mentioned) == 1
    assert f"({mentioned[0].detail})" in checked.draft.body
    assert checked.grounding.unsupported == []
