"""``dealflow init`` and ``dealflow db ...``: create and migrate the database."""

from __future__ import annotations

import typer

from dealflow import db
from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.settings import get_settings

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def init(
    workspace_option: str | None = WorkspaceOption,
    name: str | None = typer.Option(None, help="Display name of the workspace."),
) -> None:
    """Create (or upgrade) the database and a workspace with the default sales pipeline."""
    slug = workspace_slug(workspace_option)
    with unit_of_work() as session:
        created = workspace(session, slug, create=True)
        if name:
            created.name = name
    console.print(f"Database ready at {get_settings().database_url}")
    console.print(f"Workspace [bold]{slug}[/] ready, with the default 'Sales' pipeline.")


@db_app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply pending schema migrations."""
    db.upgrade(revision=revision)
    console.print(f"Database at revision {db.current_revision()} ({get_settings().database_url})")


@db_app.command("current")
def current() -> None:
    """Show the schema revision of the database."""
    console.print(db.current_revision() or "empty (run `dealflow db upgrade`)")
