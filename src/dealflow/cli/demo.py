"""``dealflow demo``: build the demo workspace."""

from __future__ import annotations

import time

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from dealflow import db
from dealflow.automate.classify.embedder import default_embedder
from dealflow.automate.runtime import run_until_idle
from dealflow.cli.app import app, console, unit_of_work, workspace
from dealflow.cli.serve import run_server
from dealflow.core.clock import now
from dealflow.crm.quality.service import diagnose, record_snapshot
from dealflow.personalize.demo_workflow import install_drafting_workflow
from dealflow.predict.pipeline import score_workspace
from dealflow.settings import get_settings


@app.command()
def demo(
    seed: int = typer.Option(7, help="Random seed: the same seed builds the same workspace."),
    workspace_option: str = typer.Option("demo", "--workspace", "-w", help="Workspace slug."),
    scale: float = typer.Option(1.0, min=0.01, max=20.0, help="Size relative to the default."),
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="Serve the web app at http://127.0.0.1:8000 afterwards."
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to serve on."),
) -> None:
    """Build a realistic multilingual demo workspace (two years of companies, contacts,
    deals, engagement, tickets and tasks in English, Japanese, Korean and Persian), then
    serve it at http://127.0.0.1:8000."""
    from dealflow.demo import build_demo
    from dealflow.demo.automation import start_automation

    started = time.perf_counter()
    columns = (
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with unit_of_work() as session, Progress(*columns, console=console) as progress:
        task = progress.add_task("Starting", total=None)

        def on_progress(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)

        summary = build_demo(
            session, slug=workspace_option, seed=seed, scale=scale, progress=on_progress
        )
    with unit_of_work() as session, console.status("Scoring leads and deals") as status:
        space = workspace(session, workspace_option, create=False)
        scoring = score_workspace(session, space.id, now=now(), progress=status.update)
    with unit_of_work() as session, console.status("Enabling the workflow templates"):
        space = workspace(session, workspace_option, create=False)
        automation = start_automation(session, space.id, seed, default_embedder())
        drafting, enrolled = install_drafting_workflow(session, space.id)
    with console.status("Running the workflows on fresh events"):
        steps = run_until_idle(db.session_factory(writes=True))
    with unit_of_work() as session, console.status("Diagnosing data quality"):
        space = workspace(session, workspace_option, create=False)
        record_snapshot(session, space.id, diagnose(session, space, now=now()))
    console.print(str(summary))
    for line in scoring:
        console.print(line)
    console.print(
        f"Workflows enabled: {', '.join(automation.workflows)}, {drafting.name}. Inquiry "
        f"classifier v{automation.model_version} trained on {automation.labelled} labelled "
        f"past tickets. The workflows ran {steps} step jobs on {automation.inquiries} "
        f"contact-form inquiries, {automation.demo_requests} demo requests, "
        f"{automation.proposals} deals reaching Proposal and {enrolled} new A-band leads "
        f"(drafted into the review queue: dealflow drafts list -w {workspace_option})."
    )
    db.refresh_planner_statistics()
    console.print(
        f"Built in {time.perf_counter() - started:.0f} s into {get_settings().database_url}. "
        f"Try: dealflow stats --workspace {workspace_option}"
    )
    console.print()
    for line in summary.sign_in_lines():
        console.print(line, highlight=False, markup=False)
    if serve:
        console.print(f"\nOpen http://127.0.0.1:{port} and sign in (Ctrl+C stops the server).")
        run_server("127.0.0.1", port, workers=1, jobs=None)
