"""Reading tables: CSV as spreadsheets save it (delimiters, BOM, quoted line breaks) and XLSX
with typed cells (real Excel dates and numbers)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from dealflow.crm.importing.importer import ImportRejectedError
from dealflow.crm.importing.readers import RowProblem, UnreadableFileError, open_table
from dealflow.models import Workspace
from tests.factories import make_company
from tests.fixtures.importing import (
    counts,
    report_rows,
    rows_of,
    run_import,
    write_mapping,
    write_xlsx,
)


class TestCsv:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
    def test_common_delimiters_and_a_bom_are_understood(
        self, tmp_path: Path, delimiter: str
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text(
            f"\ufeffemail{delimiter}first_name\nada@example.com{delimiter}Ada\n", encoding="utf-8"
        )

        table = open_table(path)
        rows = list(table.rows)
        table.close()

        assert (table.header, rows) == (["email", "first_name"], [(2, ["ada@example.com", "Ada"])])

    def test_quoted_line_breaks_stay_in_their_value_and_rows_count_records(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text('email,note\na@b.com,"two\nlines"\n\nc@d.com,x\n', encoding="utf-8")

        table = open_table(path)
        rows = list(table.rows)
        table.close()

        assert rows == [(2, ["a@b.com", "two\nlines"]), (4, ["c@d.com", "x"])]

    def test_a_folder_or_an_old_excel_file_is_refused_by_name(self, tmp_path: Path) -> None:
        with pytest.raises(UnreadableFileError, match="is a folder"):
            open_table(tmp_path)
        (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(UnreadableFileError, match=r"old Excel \(.xls\) file"):
            open_table(tmp_path / "old.xls")
        with pytest.raises(UnreadableFileError, match="does not exist"):
            open_table(tmp_path / "missing.csv")


class TestXlsx:
    def test_typed_cells_import_as_their_values(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        company = make_company(session, workspace, name="Acme", domain="acme.com")
        path = write_xlsx(
            tmp_path / "deals.xlsx",
            ["external_id", "name", "stage", "amount", "close_date", "created_at", "company"],
            [
                [1001, "Renewal", "Negotiation", 12500.5, date(2024, 6, 30),
                 datetime(2024, 1, 10, 8, 15), "acme.com"],
                [1002.0, "Upsell", "Closed won", 300, datetime(2024, 7, 1), date(2024, 2, 1), None],
            ],
        )  # fmt: skip

        assert counts(run_import(session, workspace, path, "deals")) == (2, 0, 0, 0)

        renewal, upsell = rows_of(session, workspace, "deals")
        assert (renewal["external_id"], renewal["amount"], renewal["close_date"]) == (
            "1001",
            Decimal("12500.50"),
            date(2024, 6, 30),
        )
        assert (renewal["created_at"], renewal["company_id"]) == (
            datetime(2024, 1, 10, 8, 15, tzinfo=UTC),
            company.id,
        )
        assert (upsell["external_id"], upsell["amount"], upsell["close_date"]) == (
            "1002",
            Decimal("300.00"),
            date(2024, 7, 1),
        )
        assert upsell["closed_at"] == datetime(2024, 7, 1, tzinfo=UTC)
        assert counts(run_import(session, workspace, path, "deals")) == (0, 0, 2, 0)

    def test_a_mapping_can_pick_the_sheet(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        from openpyxl import Workbook

        workbook = Workbook()
        first = workbook.active
        assert first is not None
        first.title = "Notes"
        first.append(["nothing to import"])
        people = workbook.create_sheet("People")
        people.append(["Mail", "Name"])
        people.append(["ada@example.com", "Ada"])
        path = tmp_path / "book.xlsx"
        workbook.save(path)
        plan = write_mapping(
            tmp_path / "m.yml",
            "object: contacts\nsheet: People\ncolumns:\n  Mail: email\n  Name: first_name\n",
        )

        assert counts(run_import(session, workspace, path, plan)) == (1, 0, 0, 0)
        with pytest.raises(
            UnreadableFileError, match="has no sheet 'Staff'; sheets: Notes, People"
        ):
            open_table(path, "Staff")

    def test_values_beyond_the_header_are_a_bad_row(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_xlsx(
            tmp_path / "contacts.xlsx",
            ["email", "first_name"],
            [["ada@example.com", "Ada", "stray"], ["grace@example.com", "Grace"]],
        )

        table = open_table(path)
        rows = list(table.rows)
        table.close()
        assert rows[0] == (2, RowProblem("has values beyond the header's 2 columns", "", "stray"))
        with pytest.raises(ImportRejectedError):
            run_import(session, workspace, path, "contacts")
        assert [(r["row"], r["value"]) for r in report_rows(path)] == [("2", "stray")]

    def test_a_broken_workbook_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.xlsx"
        path.write_bytes(b"not a zip file")

        with pytest.raises(UnreadableFileError, match="is not a readable XLSX workbook"):
            open_table(path)
