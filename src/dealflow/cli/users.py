"""``dealflow users ...``: add people, set their passwords, list them."""

from __future__ import annotations

import typer
from rich.table import Table

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.errors import NotFoundError
from dealflow.crm.auth import MIN_PASSWORD_LENGTH, set_password
from dealflow.crm.objects import USER_ROLES
from dealflow.crm.users import add_user, find_user, list_teams, list_users, team_named

users_app = typer.Typer(help="Users who sign in: add, set passwords, list.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _ask_password() -> str:
    password: str = typer.prompt(
        f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
        hide_input=True,
        confirmation_prompt=True,
    )
    return password


@users_app.command("add")
def add(
    email: str = typer.Argument(..., help="Sign-in email.", show_default=False),
    name: str = typer.Option(..., "--name", help="Full name as people should see it."),
    role: str = typer.Option("rep", "--role", help=f"One of: {', '.join(USER_ROLES)}."),
    team: str | None = typer.Option(None, "--team", help="Team name (created by an admin)."),
    password: bool = typer.Option(
        True, "--password/--no-password", help="Ask for a password (else they cannot sign in)."
    ),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Add a user to the workspace, asking for their password."""
    secret = _ask_password() if password else None
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        team_id = team_named(session, space.id, team).id if team else None
        user = add_user(
            session, space.id, email, name=name, role=role, team_id=team_id, password=secret
        )
        console.print(f"Added {user.name} <{user.email}> as {user.role} to {space.slug}.")


@users_app.command("set-password")
def set_password_command(
    email: str = typer.Argument(..., help="The user's email.", show_default=False),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Set a user's password (their open sessions end)."""
    secret = _ask_password()
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        user = find_user(session, space.id, email)
        if user is None:
            raise NotFoundError(f"no user with email {email} in workspace {space.slug}")
        set_password(session, user, secret, actor_id=None)
    console.print(f"Password set for {email}.")


@users_app.command("list")
def list_command(workspace_option: str | None = WorkspaceOption) -> None:
    """List the workspace's users, their roles and teams."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        teams = {team.id: team.name for team in list_teams(session, space.id)}
        table = Table(title=f"Users of {space.slug}")
        for column in ("email", "name", "role", "team", "can sign in"):
            table.add_column(column)
        for user in list_users(session, space.id):
            table.add_row(
                user.email or "",
                user.name,
                user.role,
                teams.get(user.team_id or 0, ""),
                "yes" if user.password_hash and user.is_active else "no",
            )
    console.print(table)
