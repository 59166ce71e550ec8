"""``dealflow workflows ...``: add definitions from files, list and show them, enable or
disable them, dry-run them on records, read a record's run trail, retry dead steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from dealflow.automate.definitions import load_document
from dealflow.automate.dry_run import dry_run
from dealflow.automate.repository import (
    definition_of,
    enrolment_counts,
    get_workflow,
    list_workflows,
)
from dealflow.automate.service import enrol_manually, save_workflow, set_enabled
from dealflow.automate.templates import template, templates
from dealflow.automate.trail import record_trail, retry_dead_steps
from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.errors import InvalidInputError

workflows_app = typer.Typer(
    help="Workflows: automations triggered by CRM events.", no_args_is_help=True
)
app.add_typer(workflows_app, name="workflows")

WorkflowArgument = typer.Argument(..., help="Workflow id or name.", show_default=False)
ObjectOption = typer.Option("contacts", "--object", help="Object type of the record.")


@workflows_app.command("add")
def add(
    file: Path = typer.Argument(..., help="A YAML or JSON definition.", show_default=False),
    enable: bool = typer.Option(False, "--enable", help="Enable it right away."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Save a workflow from a file; a workflow of the same name gets a new version (running
    enrolments stay on theirs)."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"{file}: {error.strerror}") from None
    _save(load_document(text, str(file)), enable, workspace_option)


def _save(document: dict[str, Any], enable: bool, workspace_option: str | None) -> None:
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        saved = save_workflow(session, space.id, document)
        if enable:
            set_enabled(session, space.id, saved.workflow.id, True)
        workflow = saved.workflow
        state = "enabled" if workflow.is_enabled else "disabled"
        what = "saved" if saved.changed else "unchanged"
        console.print(
            f"Workflow #{workflow.id} {workflow.name!r} {what} as version "
            f"{workflow.current_version} ({state})."
        )


@workflows_app.command("list")
def list_command(workspace_option: str | None = WorkspaceOption) -> None:
    """The workspace's workflows."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        table = Table("id", "name", "object", "trigger", "version", "state", "enrolments")
        for workflow in list_workflows(session, space.id):
            counts = enrolment_counts(session, workflow.id)
            table.add_row(
                str(workflow.id),
                workflow.name,
                workflow.object_type,
                definition_of(session, workflow).trigger.describe(),
                str(workflow.current_version),
                "enabled" if workflow.is_enabled else "disabled",
                ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "none",
            )
    console.print(table)


@workflows_app.command("show")
def show(
    workflow_ref: str = WorkflowArgument, workspace_option: str | None = WorkspaceOption
) -> None:
    """A workflow's trigger, conditions, steps and enrolments."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        workflow = get_workflow(session, space.id, workflow_ref)
        definition = definition_of(session, workflow)
        counts = enrolment_counts(session, workflow.id)
    state = "enabled" if workflow.is_enabled else "disabled"
    console.print(
        f"[bold]#{workflow.id} {workflow.name}[/] ({workflow.object_type}, version "
        f"{workflow.current_version}, {state})"
    )
    if definition.description:
        console.print(definition.description)
    console.print(f"trigger: {definition.trigger.describe()}; re-enrolment: {definition.reenrol}")
    for label, document in (("enrol when", "enrol_when"), ("goal", "goal")):
        if definition.document.get(document):
            console.print(f"{label}: {definition.document[document]}")
    for step in definition.walk():
        console.print(f"  {step.label}: {step.action}" + (f" ({step.name})" if step.name else ""))
    summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "none"
    console.print(f"enrolments: {summary}")


@workflows_app.command("enable")
def enable_command(
    workflow_ref: str = WorkflowArgument, workspace_option: str | None = WorkspaceOption
) -> None:
    """Enable a workflow: events from now on enrol records."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        workflow = set_enabled(session, space.id, workflow_ref, True)
        console.print(f"Workflow #{workflow.id} {workflow.name!r} is enabled.")


@workflows_app.command("disable")
def disable_command(
    workflow_ref: str = WorkflowArgument, workspace_option: str | None = WorkspaceOption
) -> None:
    """Disable a workflow: nothing new enrols; running enrolments carry on."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        workflow = set_enabled(session, space.id, workflow_ref, False)
        console.print(f"Workflow #{workflow.id} {workflow.name!r} is disabled.")


@workflows_app.command("enrol")
def enrol_command(
    workflow_ref: str = WorkflowArgument,
    record: list[int] = typer.Option(..., "--record", help="Record id (repeat for more)."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Enrol records by hand."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        for record_id in record:
            enrolment = enrol_manually(session, space.id, workflow_ref, record_id)
            if enrolment is None:
                console.print(f"Record #{record_id} was not enrolled (its rules keep it out).")
            else:
                console.print(f"Record #{record_id} enrolled (enrolment #{enrolment.id}).")


@workflows_app.command("dry-run")
def dry_run_command(
    workflow_ref: str = WorkflowArgument,
    record: list[int] = typer.Option(..., "--record", help="Record id (repeat for more)."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Show what the workflow would do to the records, touching nothing."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        results = dry_run(session, space.id, workflow_ref, record)
        session.rollback()  # nothing was written; make sure of it
    for result in results:
        console.print(f"[bold]record #{result.record_id}[/]")
        for line in result.lines:
            console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)


@workflows_app.command("trail")
def trail_command(
    record: int = typer.Option(..., "--record", help="Record id."),
    object_type: str = ObjectOption,
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """What workflows did with a record and why, oldest first."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        lines = record_trail(session, space.id, object_type, record)
    if not lines:
        console.print(f"No workflow has touched {object_type} #{record}.")
    for line in lines:
        console.print(
            f"{line.at:%Y-%m-%d %H:%M} [{line.workflow}] {line.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@workflows_app.command("retry")
def retry_command(
    enrolment: int | None = typer.Option(None, "--enrolment", help="Only this enrolment's."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Queue dead steps again (all of the workspace's, or one enrolment's)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        retried = retry_dead_steps(session, space.id, enrolment, actor="the command line")
    console.print(f"Queued {retried} dead step(s) again.")


template_app = typer.Typer(help="Ready workflows for common patterns.", no_args_is_help=True)
workflows_app.add_typer(template_app, name="template")


@template_app.command("list")
def template_list() -> None:
    """The bundled templates."""
    for item in templates():
        console.print(f"[bold]{item.key}[/]: {item.description}", soft_wrap=True)


@template_app.command("use")
def template_use(
    key: str = typer.Argument(
        ..., help="Template name (see `workflows template list`).", show_default=False
    ),
    enable: bool = typer.Option(False, "--enable", help="Enable it right away."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Add a template to the workspace as a workflow."""
    _save(template(key).document, enable, workspace_option)
