"""``dealflow users``: add people with a password from the prompt, list them, reset one."""

from __future__ import annotations

from sqlalchemy import select

from dealflow import db
from dealflow.crm import auth
from dealflow.models import AuditEntry
from tests.cli.conftest import Cli, one_line_error

PASSWORD = "a long enough password\n" * 2


def sign_in_works(email: str, password: str) -> bool:
    with db.unit_of_work() as session:
        return auth.sign_in(session, email, password) is not None


def test_an_added_user_can_sign_in_with_the_password_typed_at_the_prompt(cli: Cli) -> None:
    cli("init", "-w", "acme")

    added = cli(
        "users",
        "add",
        "Ana@Example.com",
        "--name",
        "Ana Lima",
        "--role",
        "manager",
        "-w",
        "acme",
        input=PASSWORD,
    )

    assert added.exit_code == 0, added.output
    assert "Added Ana Lima <ana@example.com> as manager to acme." in added.stdout
    assert sign_in_works("ana@example.com", "a long enough password")
    listed = cli("users", "list", "-w", "acme").stdout
    assert "ana@example.com" in listed and "manager" in listed and "yes" in listed
    with db.unit_of_work() as session:
        assert "user_added" in session.scalars(select(AuditEntry.action)).all()


def test_set_password_replaces_the_old_one(cli: Cli) -> None:
    cli("init", "-w", "acme")
    cli("users", "add", "ana@example.com", "--name", "Ana", "-w", "acme", input=PASSWORD)

    changed = cli(
        "users", "set-password", "ana@example.com", "-w", "acme", input="a different password\n" * 2
    )

    assert changed.exit_code == 0, changed.output
    assert sign_in_works("ana@example.com", "a different password")
    assert not sign_in_works("ana@example.com", "a long enough password")


def test_mistakes_are_one_line_errors(cli: Cli) -> None:
    cli("init", "-w", "acme")

    assert "role 'boss' is not one of" in one_line_error(
        cli(
            "users",
            "add",
            "a@example.com",
            "--name",
            "A",
            "--role",
            "boss",
            "-w",
            "acme",
            input=PASSWORD,
        )
    )
    assert "team 'Nowhere' does not exist" in one_line_error(
        cli(
            "users",
            "add",
            "a@example.com",
            "--name",
            "A",
            "--team",
            "Nowhere",
            "-w",
            "acme",
            input=PASSWORD,
        )
    )
    assert "at least 10 characters" in one_line_error(
        cli("users", "add", "a@example.com", "--name", "A", "-w", "acme", input="short\nshort\n")
    )
    assert "no user with email nobody@example.com" in one_line_error(
        cli("users", "set-password", "nobody@example.com", "-w", "acme", input=PASSWORD)
    )
