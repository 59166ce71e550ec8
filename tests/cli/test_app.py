"""The application shell: help, ``init``, ``db``, and errors from the installed script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, one_line_error

SCRIPT = Path(sys.executable).parent / "dealflow"


class TestHelp:
    def test_the_app_lists_its_commands(self, cli: Cli) -> None:
        result = cli("--help")

        assert result.exit_code == 0
        for command in ("import", "export", "stats", "init", "demo", "db"):
            assert command in result.stdout

    @pytest.mark.parametrize("command", ["import", "export", "stats", "init"])
    def test_each_command_explains_itself(self, cli: Cli, command: str) -> None:
        result = cli(command, "--help")

        assert result.exit_code == 0
        assert "--workspace" in result.stdout

    def test_import_help_shows_examples_and_options(self, cli: Cli) -> None:
        out = cli("import", "--help").stdout

        for text in ("dealflow import contacts leads.csv", "--mapping", "--skip-invalid"):
            assert text in out


class TestInit:
    def test_creates_the_database_and_a_workspace_once(self, cli: Cli) -> None:
        first = cli("init", "--workspace", "acme", "--name", "Acme Sales")
        again = cli("init", "--workspace", "acme")

        assert first.exit_code == again.exit_code == 0
        assert "Workspace acme ready" in first.stdout
        counts = cli("stats", "--json", "-w", "acme").stdout
        assert '"pipelines": 1' in counts

    def test_db_current_names_the_revision(self, cli: Cli) -> None:
        result = cli("db", "current")

        assert result.exit_code == 0
        assert result.stdout.strip()


@pytest.mark.skipif(not SCRIPT.exists(), reason="the dealflow script is not installed")
class TestInstalledScript:
    def run(
        self, database_url: str, tmp_path: Path, *args: str
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DEALFLOW_DATABASE_URL": database_url}
        env.pop("DEALFLOW_WORKSPACE", None)
        return subprocess.run(
            [str(SCRIPT), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    def test_a_domain_error_is_one_line_and_exit_code_1(
        self, database_url: str, tmp_path: Path
    ) -> None:
        result = self.run(database_url, tmp_path, "import", "contacts", "missing.csv")

        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == ["error: missing.csv does not exist"]

    def test_stats_json_is_the_whole_output(self, database_url: str, tmp_path: Path) -> None:
        assert self.run(database_url, tmp_path, "init").returncode == 0

        result = self.run(database_url, tmp_path, "stats", "--json")

        assert result.returncode == 0
        assert result.stdout.startswith("{") and result.stdout.count("\n") == 1


def test_one_line_error_helper_rejects_a_traceback(cli: Cli) -> None:
    """The helper the other CLI tests rely on does catch a failed command."""
    assert one_line_error(cli("stats")).startswith("error: workspace 'default' does not exist")
