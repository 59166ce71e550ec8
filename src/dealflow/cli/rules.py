"""``dealflow rules show|set|reset leads|deals``: the workspace's point rules."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.cli.predict import Target
from dealflow.predict.rules_config import (
    is_customised,
    read_rules_file,
    reset_rules,
    save_rules,
    workspace_rules,
)

rules_app = typer.Typer(
    help="Point rules: how leads and deals score while data is too thin for a model, and the "
    "baseline a model must beat.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")

TargetArgument = typer.Argument(..., help="leads or deals.")


@rules_app.command("show")
def show(
    target: Target = TargetArgument,
    as_json: bool = typer.Option(False, "--json", help="Print a rules document (JSON)."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """The rules that score leads (or deals) in the workspace."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        rules = workspace_rules(session, space.id, target.value)
        own = is_customised(session, space.id, target.value)
    if as_json:
        print(json.dumps({"rules": [asdict(rule) for rule in rules]}, ensure_ascii=False))
        return
    whose = "the workspace's own" if own else "the defaults"
    table = Table("feature", "test", "points", "label", title=f"{target.value}: {whose}")
    for rule in rules:
        test = "is known" if rule.op == "is_known" else f"{rule.op} {rule.value}"
        table.add_row(rule.feature, test, f"{rule.points:+g}", rule.label)
    console.print(table)


@rules_app.command("set")
def set_command(
    target: Target = TargetArgument,
    file: Path = typer.Argument(..., help="A YAML or JSON rules document.", show_default=False),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Replace the workspace's rules with those of FILE (checked first; applied at the next
    `dealflow train`)."""
    rules = read_rules_file(file, target.value)
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        save_rules(session, space.id, target.value, rules)
    console.print(
        f"Saved {len(rules)} {target.value} rules. Run `dealflow train {target.value}` "
        "to score with them."
    )


@rules_app.command("reset")
def reset(target: Target = TargetArgument, workspace_option: str | None = WorkspaceOption) -> None:
    """Go back to the default rules."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        had_own = reset_rules(session, space.id, target.value)
    console.print(
        f"Back to the default {target.value} rules."
        if had_own
        else f"The workspace already uses the default {target.value} rules."
    )
