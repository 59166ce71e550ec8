"""``dealflow prospect COMPANY``: research a company's website and print the findings."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from dealflow.cli.app import (
    WorkspaceOption,
    app,
    console,
    errors,
    unit_of_work,
    workspace,
    workspace_slug,
)
from dealflow.core.errors import InvalidInputError
from dealflow.personalize.prospecting import agent, repository, service
from dealflow.personalize.prospecting.agent import Plan, Research
from dealflow.personalize.prospecting.fetcher import SafeFetcher
from dealflow.personalize.prospecting.policy import FetchPolicy
from dealflow.personalize.prospecting.summariser import ChatCompletionsSummariser, Summariser
from dealflow.settings import get_settings


@app.command("prospect")
def prospect(
    company: str = typer.Argument(..., help="Company id, domain or name.", show_default=False),
    contact: str | None = typer.Option(
        None, "--contact", help="Email of the contact the research is for.", show_default=False
    ),
    url: str | None = typer.Option(
        None, "--url", help="Start here instead of the company's website or domain."
    ),
    max_pages: int | None = typer.Option(
        None, "--max-pages", help="Pages to read (default: DEALFLOW_RESEARCH_MAX_PAGES)."
    ),
    use_llm: bool = typer.Option(
        False, "--llm", help="Also ask the model at DEALFLOW_LLM_BASE_URL for findings."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Read the company's website (robots.txt obeyed, public addresses only) and the pages it
    links to; store what it says, each finding with its source URL and quote, replacing the
    company's previous findings."""
    settings = get_settings()
    policy = FetchPolicy.from_settings(settings)
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        principal = service.operator(space.id)
        found = repository.find_company(session, space.id, company)
        person = repository.find_contact(session, space.id, contact) if contact else None
        plan = service.plan_research(
            session,
            principal,
            found.id,
            contact_id=person.id if person else None,
            start_url=url,
            max_pages=max_pages or policy.max_pages,
        )
    with errors.status(f"Reading {plan.start_url}"), SafeFetcher(policy) as fetcher:
        research = agent.run(plan, fetcher, _summariser(use_llm))
    with unit_of_work() as session:
        run = service.do_save_research(session, principal, research)
        run_id = run.id
    if as_json:
        print(json.dumps(_document(plan, research, run_id)))
    else:
        _print(plan, research, run_id)


def _summariser(use_llm: bool) -> Summariser | None:
    if not use_llm:
        return None
    settings = get_settings()
    if not settings.llm_base_url:
        raise InvalidInputError("--llm: set DEALFLOW_LLM_BASE_URL (and DEALFLOW_LLM_MODEL) first")
    return ChatCompletionsSummariser(
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key,
        settings.llm_timeout_seconds,
    )


def _print(plan: Plan, research: Research, run_id: int) -> None:
    seconds = (research.finished_at - research.started_at).total_seconds()
    console.print(
        f"[bold]{plan.company_name}[/] — {plan.start_url}: read {len(research.pages)} pages "
        f"in {seconds:.1f} s, {len(research.findings)} findings.",
        highlight=False,
    )
    table = Table("kind", "finding", "source")
    for finding in research.findings:
        said = escape(finding.statement)
        if finding.snippet != finding.statement:
            said += f'\n[dim]"{escape(finding.snippet)}"[/]'
        table.add_row(finding.kind, said, escape(finding.source_url))
    console.print(table)
    for item in research.set_aside:
        console.print(
            f"Set aside ({item.reason}): {item.snippet[:80]!r} on {item.source_url}",
            markup=False,
            highlight=False,
        )
    for refusal in research.refused:
        console.print(f"Not read: {refusal.url}: {refusal.reason}", markup=False, highlight=False)
    console.print(f"Stored as research run #{run_id}; earlier findings are history now.")
    if research.draft_id is not None:
        console.print(
            f"The first email to {plan.recipient} waits in the review queue: "
            f"`dealflow drafts show {research.draft_id}`.",
            markup=False,
            highlight=False,
        )


def _document(plan: Plan, research: Research, run_id: int) -> dict[str, Any]:
    return {
        "company": {"id": plan.company_id, "name": plan.company_name},
        "contact": {"id": plan.contact_id, "email": plan.recipient} if plan.contact_id else None,
        "run_id": run_id,
        "draft_id": research.draft_id,
        "start_url": plan.start_url,
        "method": research.method,
        "pages": [
            {"url": page.url, "kind": page.kind, "title": page.title, "truncated": page.truncated}
            for page in research.pages
        ],
        "findings": [
            {
                "kind": finding.kind,
                "statement": finding.statement,
                "snippet": finding.snippet,
                "source_url": finding.source_url,
                "fetched_at": finding.fetched_at.isoformat(),
                "method": finding.method,
            }
            for finding in research.findings
        ],
        "set_aside": [vars(item) for item in research.set_aside],
        "refused": [vars(item) for item in research.refused],
    }
