"""The CLI run in-process on a fresh database of the run's backend, from an empty folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dealflow import db
from dealflow.cli import app, commands
from dealflow.settings import get_settings

Cli = Callable[..., Result]
assert commands  # imported for its side effect: it registers the commands with the app


def _forget_configuration() -> None:
    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()
    db.get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """``cli("import", "contacts", "leads.csv")`` runs a command against the test database,
    with ``tmp_path`` as the working folder (reports and exports land there)."""
    monkeypatch.setenv("DEALFLOW_DATABASE_URL", database_url)
    monkeypatch.delenv("DEALFLOW_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    _forget_configuration()
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    yield invoke
    _forget_configuration()


def one_line_error(result: Result) -> str:
    """The command failed cleanly: a non-zero exit, no traceback, one ``error:`` line."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    return line
