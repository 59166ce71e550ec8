"""``dealflow import``, ``export`` and ``stats`` end to end, on a real database."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, one_line_error
from tests.fixtures.importing import FIXTURES, write_csv

CONTACTS = [
    ["Ada", "Lovelace", "ada@example.com", "lead"],
    ["健太", "佐藤", "kenta@example.jp", "customer"],
    ["지우", "김", "jiwoo@example.kr", "mql"],
]
HEADER = ["first_name", "last_name", "email", "lifecycle_stage"]


def stats(cli: Cli, *options: str) -> dict[str, int]:
    result = cli("stats", "--json", *options)
    assert result.exit_code == 0, result.output
    counts: dict[str, int] = json.loads(result.stdout)
    return counts


class TestImport:
    def test_prints_the_mapping_then_the_result_without_asking(
        self, cli: Cli, tmp_path: Path
    ) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, CONTACTS)

        result = cli("import", "contacts", "leads.csv")

        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "leads.csv → contacts" in out
        assert out.index("lifecycle_stage") < out.index("Import into workspace default")
        assert "│ leads.csv │ contacts │       3 │       0 │         0 │        0 │" in out
        assert "Import with this mapping?" not in out
        assert stats(cli)["contacts"] == 3

    def test_a_second_run_changes_nothing(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, CONTACTS)
        cli("import", "contacts", "leads.csv")
        before = stats(cli)

        result = cli("import", "contacts", "leads.csv", "--yes")

        assert (
            "│ leads.csv │ contacts │       0 │       0 │         3 │        0 │" in result.stdout
        )
        assert stats(cli) == before

    def test_bad_rows_import_nothing_and_name_the_report(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, [*CONTACTS, ["Bad", "Row", "nope", "lead"]])

        result = cli("import", "contacts", "leads.csv", "--report", "problems.csv")

        line = one_line_error(result)
        assert "1 bad row(s), 1 problem(s); nothing was imported" in line
        assert "problems.csv" in line
        assert "(rolled back)" in result.stdout
        assert "leads.csv row 5, column 'email' (value 'nope'): 'nope' is not a valid" in (
            result.stdout
        )
        with (tmp_path / "problems.csv").open(encoding="utf-8") as handle:
            assert list(csv.DictReader(handle)) == [
                {
                    "file": "leads.csv",
                    "row": "5",
                    "column": "email",
                    "value": "nope",
                    "reason": "'nope' is not a valid email address",
                }
            ]
        assert "workspace 'default' does not exist" in one_line_error(cli("stats"))

    def test_the_default_report_lands_in_the_working_folder(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, [["Bad", "Row", "nope", "lead"]])

        line = one_line_error(cli("import", "contacts", "leads.csv"))

        [report] = tmp_path.glob("import-report-*.csv")
        assert report.name in line

    def test_skip_invalid_keeps_the_good_rows(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, [*CONTACTS, ["Bad", "Row", "nope", "lead"]])

        result = cli("import", "contacts", "leads.csv", "--skip-invalid")

        assert result.exit_code == 0, result.output
        assert (
            "│ leads.csv │ contacts │       3 │       0 │         0 │        1 │" in result.stdout
        )
        assert "Every problem is listed in" in result.stdout
        assert stats(cli)["contacts"] == 3

    def test_a_hubspot_export_imports_with_its_preset(self, cli: Cli, tmp_path: Path) -> None:
        shutil.copy(FIXTURES / "hubspot_contacts.csv", tmp_path)
        write_csv(tmp_path / "companies.csv", ["name", "domain"], [["Acme", "acme.com"]])
        write_csv(tmp_path / "users.csv", ["name", "email"], [["Rep", "rep@acme.com"]])
        assert cli("import", "companies", "companies.csv").exit_code == 0
        assert cli("import", "users", "users.csv").exit_code == 0

        result = cli("import", "contacts", "hubspot_contacts.csv", "--preset", "hubspot")

        assert result.exit_code == 0, result.output
        assert "Record ID" in result.stdout
        assert stats(cli)["contacts"] == 3

    def test_a_mapping_imports_a_folder_of_files_in_order(self, cli: Cli, tmp_path: Path) -> None:
        folder = tmp_path / "crm"
        folder.mkdir()
        write_csv(folder / "accounts.csv", ["account", "site"], [["Acme", "acme.com"]])
        write_csv(folder / "people.csv", ["mail", "account"], [["ada@example.com", "Acme"]])
        (tmp_path / "crm.yml").write_text(
            """
files:
  - {file: accounts.csv, object: companies, columns: {account: name, site: domain}}
  - file: people.csv
    object: contacts
    columns: {mail: email, account: {association: company, by: name}}
""",
            encoding="utf-8",
        )

        result = cli("import", "crm", "--mapping", "crm.yml")

        assert result.exit_code == 0, result.output
        assert "accounts.csv → companies" in result.stdout
        assert "people.csv → contacts" in result.stdout
        assert (stats(cli)["companies"], stats(cli)["contacts"]) == (1, 1)

    def test_a_mapping_for_another_object_type_is_refused(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", ["mail"], [["ada@example.com"]])
        (tmp_path / "m.yml").write_text("object: contacts\ncolumns: {mail: email}\n")

        line = one_line_error(cli("import", "deals", "leads.csv", "--mapping", "m.yml"))

        assert line == "error: the mapping imports contacts, not deals"


class TestExport:
    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_an_export_reimports_unchanged(
        self, cli: Cli, tmp_path: Path, file_format: str
    ) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, CONTACTS)
        cli("import", "contacts", "leads.csv")
        before = stats(cli)

        result = cli("export", "contacts", "--format", file_format, "-o", f"out.{file_format}")

        assert result.exit_code == 0, result.output
        assert f"Wrote 3 contacts to out.{file_format}" in result.stdout
        again = cli("import", "contacts", f"out.{file_format}")
        assert again.exit_code == 0, again.output
        assert "│       0 │       0 │         3 │        0 │" in again.stdout
        assert stats(cli) == before

    def test_the_default_file_is_named_after_the_object_type(
        self, cli: Cli, tmp_path: Path
    ) -> None:
        cli("init")

        assert cli("export", "deals").exit_code == 0
        assert (tmp_path / "deals.csv").read_text(encoding="utf-8").startswith("name,amount,")


class TestStats:
    def test_json_is_exactly_one_object_of_counts(self, cli: Cli, tmp_path: Path) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, CONTACTS)
        cli("import", "contacts", "leads.csv")

        result = cli("stats", "--json")

        counts = json.loads(result.stdout)
        assert {"companies", "contacts", "deals", "users", "property_changes"} <= set(counts)
        assert (counts["contacts"], counts["deals"], counts["pipelines"]) == (3, 0, 1)

    def test_a_table_by_default(self, cli: Cli) -> None:
        cli("init", "--workspace", "acme")

        result = cli("stats", "-w", "acme")

        assert result.exit_code == 0
        assert "Workspace acme" in result.stdout
        assert "property changes" in result.stdout


class TestWrongInput:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["import", "contcts", "leads.csv"], "unknown object type 'contcts'; choose one of"),
            (["import", "contacts", "missing.csv"], "missing.csv does not exist"),
            (["import", "contacts"], "say what to import"),
            (["import", "contacts", "leads.csv", "--unknown-columns", "bogus"],
             "--unknown-columns must be error, ignore or create, not 'bogus'"),
            (["import", "contacts", "leads.csv", "--preset", "zoho"], "unknown preset 'zoho'"),
            (["import", "contacts", "leads.csv", "--mapping", "none.yml"],
             "none.yml does not exist"),
            (["import", "contacts", "odd.csv"], "column(s) 'shoe size' match no field of contacts"),
            (["export", "contacts", "--format", "pdf"],
             "--format must be one of csv, xlsx, not 'pdf'"),
            (["export", "contcts"], "unknown object type 'contcts'"),
            (["export", "contacts", "-o", "nowhere/c.csv"], "folder nowhere does not exist"),
            (["stats", "-w", "nobody"], "workspace 'nobody' does not exist"),
        ],
    )  # fmt: skip
    def test_a_one_line_error_names_the_problem(
        self, cli: Cli, tmp_path: Path, args: list[str], message: str
    ) -> None:
        write_csv(tmp_path / "leads.csv", HEADER, CONTACTS)
        write_csv(tmp_path / "odd.csv", ["email", "shoe size"], [["a@b.com", "9"]])
        cli("init")

        assert message in one_line_error(cli(*args))
