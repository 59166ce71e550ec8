"""The Typer application and what every command shares: the database, the workspace, errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from dealflow import db
from dealflow.core.errors import DealflowError
from dealflow.crm.workspaces import ensure_workspace, get_workspace
from dealflow.models import Workspace
from dealflow.settings import get_settings

console = Console()
errors = Console(stderr=True)

app = typer.Typer(
    name="dealflow",
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
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def main() -> None:
    """Entry point: run the app; domain errors print as one readable line, exit code 1."""
    from dealflow.cli import commands  # noqa: F401  (registers the commands)

    try:
        app()
    except DealflowError as error:
        errors.print(f"[bold red]error:[/] {error.message}", highlight=False)
        sys.exit(1)
