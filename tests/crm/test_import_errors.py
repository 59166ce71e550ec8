"""Bad input: every problem is reported with its file, row, column, value and reason, and in
the default all-or-nothing mode the database is left exactly as it was."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.errors import DealflowError
from dealflow.crm.importing.importer import ImportRejectedError
from dealflow.crm.importing.mapping import ImportPlan, MappingError
from dealflow.crm.importing.readers import UnreadableFileError
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.factories import make_company, make_contact
from tests.fixtures.importing import (
    counts,
    report_rows,
    rows_of,
    run_import,
    snapshot,
    write_csv,
    write_mapping,
)

CONTACT_HEADER = ["first_name", "last_name", "email", "lifecycle_stage"]


def rejected(
    session: Session, workspace: Workspace, path: Path, plan: ImportPlan | str = "contacts"
) -> tuple[ImportRejectedError, list[dict[str, str]]]:
    """Run an import that must be rejected; check it wrote nothing; return the error and the
    report's rows."""
    before = snapshot(session, workspace)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(session, workspace, path, plan)
    assert snapshot(session, workspace) == before
    assert caught.value.result.applied is False
    return caught.value, report_rows(path)


def unreadable(session: Session, workspace: Workspace, path: Path) -> str:
    before = snapshot(session, workspace)
    with pytest.raises(UnreadableFileError) as caught:
        run_import(session, workspace, path, "contacts")
    assert snapshot(session, workspace) == before
    return caught.value.message


class TestMalformedCsv:
    def test_rows_with_too_many_or_too_few_values_are_reported_by_row_and_column(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text(
            "first_name,last_name,email\n"
            "Ada,Lovelace,ada@example.com,surplus\n"
            "Grace,grace@example.com\n"
            "Alan,Turing,alan@example.com\n",
            encoding="utf-8",
        )

        error, report = rejected(session, workspace, path)

        assert "nothing was imported" in error.message
        assert str(path.parent / "report.csv") in error.message
        assert report == [
            {
                "file": "contacts.csv",
                "row": "2",
                "column": "",
                "value": "surplus",
                "reason": "has 4 values but the header has 3 columns: "
                "'surplus' is beyond the last column 'email'",
            },
            {
                "file": "contacts.csv",
                "row": "3",
                "column": "email",
                "value": "",
                "reason": "has 2 values but the header has 3 columns: no value for 'email'",
            },
        ]

    def test_a_quote_never_closed_fails_the_file_naming_row_and_column(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text(
            'first_name,last_name,email\nAda,"Lovelace,ada@example.com\nAlan,Turing,a@b.com\n',
            encoding="utf-8",
        )

        message = unreadable(session, workspace, path)

        assert "row 2 (line 2), column 'last_name'" in message
        assert "never closed" in message

    def test_a_quote_closed_rows_later_is_a_bad_row_naming_the_column(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text(
            "first_name,last_name,email\n"
            'Ada,"Lovelace,ada@example.com\n'
            'Alan,Turing",alan@example.com,x\n'
            "Grace,Hopper,grace@example.com\n",
            encoding="utf-8",
        )

        _, report = rejected(session, workspace, path)

        assert [(r["row"], r["column"]) for r in report] == [("2", "last_name")]
        assert "runs from line 2 to line 3" in report[0]["reason"]
        assert "quote" in report[0]["reason"]

    def test_a_file_that_is_not_utf8_names_the_line(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_bytes("first_name,email\nJosé,jose@example.com\n".encode("latin-1"))

        message = unreadable(session, workspace, path)

        assert "line 2" in message
        assert "not UTF-8" in message

    def test_an_empty_file_asks_for_a_header(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_bytes(b"")

        with pytest.raises(UnreadableFileError, match="is empty: expected a header row"):
            run_import(session, workspace, path, "contacts")

    def test_nul_bytes_are_refused_with_their_line(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = tmp_path / "contacts.csv"
        path.write_text("first_name,email\nAda\x00,ada@example.com\n", encoding="utf-8")

        assert "line 2: contains NUL bytes" in unreadable(session, workspace, path)

    def test_a_header_without_rows_imports_nothing(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADER, [])

        assert counts(run_import(session, workspace, path, "contacts")) == (0, 0, 0, 0)


class TestWrongValues:
    def test_each_bad_value_is_reported_with_row_column_value_and_reason(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "contacts.csv",
            ["first_name", "email", "lifecycle_stage", "created_at"],
            [
                ["Ada", "not-an-email", "lead", "2024-01-01"],
                ["Grace", "grace@example.com", "lead", "2024-13-45"],
                ["Alan", "alan@example.com", "wizard", "2024-01-01"],
                ["Edsger", "edsger@example.com", "customer", "2024-02-29"],
            ],
        )

        error, report = rejected(session, workspace, path)

        assert [(r["file"], r["row"], r["column"], r["value"]) for r in report] == [
            ("contacts.csv", "2", "email", "not-an-email"),
            ("contacts.csv", "3", "created_at", "2024-13-45"),
            ("contacts.csv", "4", "lifecycle_stage", "wizard"),
        ]
        assert "not a valid email address" in report[0]["reason"]
        assert "is not a date" in report[1]["reason"]
        assert "is not one of: subscriber, lead" in report[2]["reason"]
        assert error.message.startswith("3 bad row(s), 3 problem(s); nothing was imported")

    def test_an_amount_that_is_not_a_number_is_reported(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "deals.csv",
            ["external_id", "name", "stage", "amount"],
            [["D-1", "Big deal", "Prospecting", "abc"], ["D-2", "Small", "Prospecting", "1,200"]],
        )

        _, report = rejected(session, workspace, path, "deals")

        assert [(r["row"], r["column"], r["value"], r["reason"]) for r in report] == [
            ("2", "amount", "abc", "'abc' is not a number")
        ]

    def test_text_longer_than_its_column_is_a_bad_row_on_every_backend(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "contacts.csv", ["first_name", "email"], [["A" * 101, "a@example.com"]]
        )

        _, report = rejected(session, workspace, path)

        assert (report[0]["column"], report[0]["reason"]) == (
            "first_name",
            "'AAAAAAAAAAAAAAAAAAAA'... is 101 characters long; at most 100 fit",
        )

    @pytest.mark.parametrize(
        ("header", "value", "reason"),
        [
            ("employees", "1e30", "'1e30' is too large (at most 2,147,483,647)"),
            ("created_at", "0001-01-01T00:00:00+05:00", "is out of range"),
        ],
    )
    def test_values_beyond_what_the_database_holds_are_bad_rows(
        self, session: Session, workspace: Workspace, tmp_path: Path, header: str, value: str,
        reason: str,
    ) -> None:  # fmt: skip
        path = write_csv(tmp_path / "companies.csv", ["name", header], [["Acme", value]])

        _, report = rejected(session, workspace, path, "companies")

        assert (report[0]["column"], report[0]["value"]) == (header, value)
        assert reason in report[0]["reason"]


class TestDuplicatesAndConflicts:
    @pytest.mark.parametrize("batch_size", [5000, 1])
    def test_a_key_repeated_in_the_file_rejects_the_later_row(
        self, session: Session, workspace: Workspace, tmp_path: Path, batch_size: int
    ) -> None:
        path = write_csv(
            tmp_path / "contacts.csv",
            ["first_name", "email"],
            [
                ["Ada", "ada@example.com"],
                ["Grace", "grace@example.com"],
                ["Ada", "ADA@example.com"],
            ],
        )

        before = snapshot(session, workspace)
        with pytest.raises(ImportRejectedError):
            run_import(session, workspace, path, "contacts", batch_size=batch_size)
        assert snapshot(session, workspace) == before

        [problem] = report_rows(path)
        assert (problem["row"], problem["column"], problem["value"]) == (
            "4",
            "email",
            "ada@example.com",
        )
        expected = "row 2 has the same email" if batch_size > 1 else "an earlier row has the same"
        assert expected in problem["reason"]

    def test_a_unique_value_another_record_has_is_a_bad_row_not_a_crash(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        make_contact(session, workspace, email="taken@example.com")
        path = write_csv(
            tmp_path / "contacts.csv",
            ["external_id", "email"],
            [
                ["C-1", "taken@example.com"],
                ["C-2", "free@example.com"],
                ["C-3", "free@example.com"],
            ],
        )

        _, report = rejected(session, workspace, path)

        assert [(r["row"], r["column"], r["reason"]) for r in report] == [
            ("2", "email", report[0]["reason"]),
            ("4", "email", "row 3 has the same email"),
        ]
        assert report[0]["reason"].startswith("another contact (#")
        assert report[0]["reason"].endswith("already has this email")

    def test_a_name_two_records_share_cannot_be_the_key(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        make_company(session, workspace, name="Twins", domain="one.example")
        make_company(session, workspace, name="Twins", domain="two.example")
        path = write_csv(tmp_path / "companies.csv", ["name", "industry"], [["Twins", "toys"]])

        _, report = rejected(session, workspace, path, "companies")

        assert report[0]["reason"] == "several companies have name 'Twins'; use a unique key"


class TestMissingAssociations:
    def test_a_deal_whose_company_and_owner_do_not_exist_names_both(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "deals.csv",
            ["external_id", "name", "stage", "company", "owner"],
            [["D-1", "Big deal", "Prospecting", "Nowhere Inc", "nobody@example.com"]],
        )

        _, report = rejected(session, workspace, path, "deals")

        assert [(r["row"], r["column"], r["value"], r["reason"]) for r in report] == [
            ("2", "company", "Nowhere Inc", "no company with name 'Nowhere Inc'"),
            ("2", "owner", "nobody@example.com", report[1]["reason"]),
        ]
        assert report[1]["reason"].startswith("no user with email")

    def test_a_company_named_like_a_domain_is_found_by_its_name(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        company = make_company(session, workspace, name="Acme.io", domain=None)
        path = write_csv(
            tmp_path / "contacts.csv", ["email", "company"], [["ada@example.com", "Acme.io"]]
        )

        run_import(session, workspace, path, "contacts")

        [contact] = rows_of(session, workspace, "contacts")
        assert contact["company_id"] == company.id


class TestUnknownColumns:
    def test_an_inferred_mapping_names_the_column_no_field_matches(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "contacts.csv", ["email", "shoe size"], [["a@b.com", "9"]])

        with pytest.raises(MappingError, match=r"column\(s\) 'shoe size' match no field"):
            run_import(session, workspace, path, "contacts")

    def test_unknown_columns_can_be_skipped_or_kept_as_text_properties(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(tmp_path / "contacts.csv", ["email", "Shoe Size"], [["a@b.com", "9"]])

        run_import(session, workspace, path, "contacts", unknown_columns="ignore")
        assert rows_of(session, workspace, "contacts")[0]["properties"] == {}
        run_import(session, workspace, path, "contacts", unknown_columns="create")
        assert rows_of(session, workspace, "contacts")[0]["properties"] == {"shoe_size": "9"}

    def test_a_second_column_for_the_same_field_is_named(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "contacts.csv",
            ["Email", "Phone Number", "Mobile Phone Number"],
            [["a@b.com", "+4420794609581", "+447700900123"]],
        )

        with pytest.raises(MappingError, match="'Mobile Phone Number' would fill phone again"):
            run_import(session, workspace, path, "contacts")

    def test_an_explicit_mapping_lists_the_columns_it_does_not_map(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", "object: contacts\ncolumns:\n  Mail: email\n")
        path = write_csv(tmp_path / "contacts.csv", ["Mail", "Notes", "Age"], [["a@b.com", "", ""]])

        with pytest.raises(
            MappingError, match=r"column\(s\) 'Notes', 'Age' are not in the mapping"
        ):
            run_import(session, workspace, path, plan)

    def test_an_explicit_mapping_names_the_columns_the_file_lacks(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml", "object: contacts\ncolumns:\n  Mail: email\n  Name: first_name\n"
        )
        path = write_csv(tmp_path / "contacts.csv", ["Mail"], [["a@b.com"]])

        with pytest.raises(MappingError, match=r"expects column\(s\) 'Name'"):
            run_import(session, workspace, path, plan)


class TestSkipInvalid:
    def test_only_the_good_rows_are_imported_and_the_bad_ones_reported(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "contacts.csv",
            CONTACT_HEADER,
            [
                ["Ada", "Lovelace", "ada@example.com", "lead"],
                ["Bad", "Email", "nope", "lead"],
                ["Grace", "Hopper", "grace@example.com", "customer"],
                ["Bad", "Stage", "stage@example.com", "wizard"],
            ],
        )

        result = run_import(session, workspace, path, "contacts", skip_invalid=True)

        assert counts(result) == (2, 0, 0, 2)
        assert result.applied is True
        emails = [row["email"] for row in rows_of(session, workspace, "contacts")]
        assert emails == ["ada@example.com", "grace@example.com"]
        assert [(r["row"], r["column"]) for r in report_rows(path)] == [
            ("3", "email"),
            ("5", "lifecycle_stage"),
        ]


GARBAGE_TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from(',;"\n\r'),
    max_size=40,
)


@st.composite
def files_with_garbage(draw: st.DrawFn) -> str:
    """A valid contacts file with garbage rows mixed in: random cells, wrong widths, stray
    quotes, values of the wrong type, too long or too large."""
    lines = [",".join([*CONTACT_HEADER, "rating"])]
    count = draw(st.integers(1, 6))
    for index in range(count):
        lines.append(f"Ada,Lovelace {index},ada{index}@example.com,lead,{index}")
        if draw(st.booleans()):
            garbage = draw(
                st.one_of(
                    GARBAGE_TEXT,
                    st.lists(GARBAGE_TEXT, max_size=8).map(_csv_line),
                    st.lists(
                        st.sampled_from(
                            [
                                "",
                                "x" * 400,
                                "not-an-email",
                                "1e999",
                                "wizard",
                                '"',
                                "ada0@example.com",
                            ]
                        ),
                        min_size=5,
                        max_size=5,
                    ).map(_csv_line),
                )
            )
            lines.append(garbage)
    return "\n".join(lines) + "\n"


def _csv_line(cells: list[str]) -> str:
    with_quotes = [
        '"' + cell.replace('"', '""') + '"' if set(cell) & set(',"\n\r') else cell for cell in cells
    ]
    return ",".join(with_quotes)


class TestGarbage:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(text=files_with_garbage(), skip_invalid=st.booleans())
    def test_garbage_never_crashes_the_importer_nor_half_imports(
        self, session: Session, tmp_path: Path, text: str, skip_invalid: bool
    ) -> None:
        workspace = ensure_workspace(session, f"garbage-{uuid.uuid4().hex[:10]}")
        path = tmp_path / f"{workspace.slug}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        before = snapshot(session, workspace)

        try:
            result = run_import(
                session,
                workspace,
                path,
                "contacts",
                skip_invalid=skip_invalid,
                unknown_columns="create",
            )
        except DealflowError:
            assert snapshot(session, workspace) == before  # nothing at all was written
            return
        if not skip_invalid:
            assert result.invalid == 0
        contacts = rows_of(session, workspace, "contacts")
        assert len(contacts) == result.created
        if result.invalid:
            with (tmp_path / "report.csv").open(encoding="utf-8", newline="") as handle:
                reported = {int(row["row"]) for row in csv.DictReader(handle)}
            assert len(reported) == result.invalid


class TestFolderSource:
    def test_a_folder_with_a_mapping_that_names_no_file_lists_the_files_to_choose_from(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        folder = tmp_path / "export"
        folder.mkdir()
        write_csv(folder / "leads.csv", CONTACT_HEADER, [["Ana", "Lima", "ana@x.com", "lead"]])
        plan = write_mapping(
            tmp_path / "mapping.yml", "object: contacts\ncolumns: {email: email}\n"
        )

        with pytest.raises(
            MappingError, match=r"export is a folder: give one of its files \(leads.csv\)"
        ):
            run_import(session, workspace, folder, plan)
        assert rows_of(session, workspace, "contacts") == []
