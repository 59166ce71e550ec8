"""The Typer application and what every command shares: the database, the workspace, errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from dealflow import db
from dealflow.core.errors import DealflowError
from dealflow.crm.workspaces import ensure_workspace, get_workspace
from dealflow.models import Workspace
from dealflow.settings import get_settings

PIPED_WIDTH = 160
"""Columns of tables written to a file or a pipe (a terminal's own width otherwise), so
numbers are not cut to fit 80 columns."""
console = Console(width=None if sys.stdout.isatty() else PIPED_WIDTH)
errors = Console(stderr=True, soft_wrap=True)  # an error stays on one line, however long


class _Commands(TyperGroup):
    """The command group: a domain error (bad file, unknown workspace...) prints as one line
    and exits with code 1, however the app is run (console script or ``CliRunner``)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except DealflowError as error:
            raise fail(error.message) from None


app = typer.Typer(
    name="dealflow",
    cls=_Commands,
    help="Dealflow, the self-hosted AI sales CRM. "
    "Data lives in DEALFLOW_DATABASE_URL (default: ./dealflow.db).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

WorkspaceOption = typer.Option(
    None,
    "--workspace",
    "-w",
    help="Workspace slug (default: DEALFLOW_WORKSPACE, or 'default').",
    show_default=False,
)


def workspace_slug(option: str | None) -> str:
    return option or get_settings().workspace


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """The command's transaction, on a database whose schema is brought up to date first."""
    engine = db.get_engine()
    if db.current_revision(engine) != db.head_revision():
        db.upgrade(engine)
    with db.unit_of_work(engine) as session:
        yield session


def workspace(session: Session, slug: str, *, create: bool) -> Workspace:
    return ensure_workspace(session, slug) if create else get_workspace(session, slug)


def fail(message: str) -> typer.Exit:
    """Print ``message`` as the command's one-line error; raise what this returns."""
    errors.print("[bold red]error:[/] ", end="", highlight=False)
    errors.print(message, highlight=False, markup=False)
    return typer.Exit(1)


def main() -> None:
    """Entry point: run the app; domain errors print as one readable line, exit code 1."""
    from dealflow.cli import commands  # noqa: F401  (registers the commands)

    try:
        app()
    except DealflowError as error:
        fail(error.message)
        sys.exit(1)
