"""Exports: every standard field, associations by the key import finds them by, custom
properties; CSV and XLSX files that re-import without a single change."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from dealflow.crm import service
from dealflow.crm.exporting import export_rows, write_export
from dealflow.crm.importing.readers import open_table
from dealflow.crm.properties import define_property
from dealflow.models import Workspace
from tests.factories import make_company, make_contact, make_ticket, make_user
from tests.fixtures.importing import (
    counts,
    history_counts,
    run_import,
    snapshot,
    write_csv,
    write_mapping,
)


def exported(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class TestColumns:
    def test_fields_then_associations_then_custom_properties(
        self, session: Session, workspace: Workspace
    ) -> None:
        define_property(session, workspace.id, "companies", "tier", "text")
        define_property(session, workspace.id, "companies", "arr", "number")

        header, total, rows = export_rows(session, workspace.id, "companies")

        assert header == [
            "name", "domain", "industry", "employees", "annual_revenue", "country", "city",
            "year_established", "external_id", "created_at", "updated_at",
            "parent_company", "owner", "arr", "tier",
        ]  # fmt: skip
        assert (total, list(rows)) == (0, [])

    def test_associations_are_written_as_the_keys_import_finds_them_by(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        with_domain = make_company(session, workspace, name="Acme", domain="acme.com")
        without_domain = make_company(
            session, workspace, name="Beta Corp", domain=None, parent_company_id=with_domain.id
        )
        rep = make_user(session, workspace, name="Rep Without Mail", email=None)
        make_contact(session, workspace, email="ada@example.com", company_id=with_domain.id)
        contact = make_contact(
            session, workspace, email="grace@example.com", company_id=without_domain.id,
            owner_id=rep.id,
        )  # fmt: skip
        make_ticket(session, workspace, contact_id=contact.id, external_id="T-1")

        for object_type in ("companies", "contacts", "tickets"):
            write_export(session, workspace.id, object_type, tmp_path / f"{object_type}.csv", "csv")

        companies = exported(tmp_path / "companies.csv")
        assert [(c["name"], c["parent_company"]) for c in companies] == [
            ("Acme", ""),
            ("Beta Corp", "acme.com"),
        ]
        contacts = exported(tmp_path / "contacts.csv")
        assert [(c["email"], c["company"], c["owner"]) for c in contacts] == [
            ("ada@example.com", "acme.com", ""),
            ("grace@example.com", "Beta Corp", "Rep Without Mail"),
        ]
        assert exported(tmp_path / "tickets.csv")[0]["contact"] == "grace@example.com"

    def test_an_unknown_format_is_refused(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        with pytest.raises(ValueError, match="format 'pdf' is not one of csv, xlsx"):
            write_export(session, workspace.id, "contacts", tmp_path / "x.pdf", "pdf")


class TestXlsx:
    def test_text_that_looks_like_a_formula_or_a_link_stays_text(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        long_link = "https://example.com/" + "a" * 2100
        define_property(session, workspace.id, "contacts", "website", "text")
        make_contact(
            session, workspace, first_name="=1+1", last_name="+81 3", job_title="@boss",
            properties={"website": long_link},
        )  # fmt: skip
        path = tmp_path / "contacts.xlsx"

        assert write_export(session, workspace.id, "contacts", path, "xlsx") == 1

        table = open_table(path)
        [(_, values)] = list(table.rows)
        table.close()
        assert isinstance(values, list)
        row = dict(zip(table.header, values, strict=True))
        assert (row["first_name"], row["last_name"], row["job_title"], row["website"]) == (
            "=1+1",
            "+81 3",
            "@boss",
            long_link,
        )

    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_companies_and_deals_reimport_unchanged(
        self, session: Session, workspace: Workspace, tmp_path: Path, file_format: str
    ) -> None:
        companies = write_csv(
            tmp_path / "companies.csv",
            ["name", "domain", "employees", "annual_revenue", "parent_company", "tier"],
            [
                ["株式会社サンプル", "sample.co.jp", "1200", "1500000.5", "", "gold"],
                ["샘플 코리아", "", "40", "", "sample.co.jp", ""],
                ["Acme.io", "", "", "", "", "silver"],
            ],
        )
        run_import(session, workspace, companies, "companies", unknown_columns="create")
        plan = write_mapping(
            tmp_path / "deals.yml",
            """
object: deals
pipeline: {name: Partners, stages: [[Intro, 0.2, open], [Signed, 1.0, won]]}
stage_history: {Intro: intro_date, Signed: signed_date}
columns:
  id: [external_id, name]
  stage: stage
  company: company
  value: amount
  intro_date: ~
  signed_date: ~
""",
        )
        deals = write_csv(
            tmp_path / "deals.csv",
            ["id", "stage", "company", "value", "intro_date", "signed_date"],
            [
                ["P-1", "Signed", "Acme.io", "990.99", "2024-01-02", "2024-02-03"],
                ["P-2", "Intro", "sample.co.jp", "", "2024-03-04", ""],
            ],
        )
        run_import(session, workspace, deals, plan)
        service.create_record(
            session, workspace.id, "deals", {"name": "Direct", "external_id": "S-1"}
        )
        before = snapshot(session, workspace)

        for object_type in ("companies", "deals"):
            path = tmp_path / f"export-{object_type}.{file_format}"
            write_export(session, workspace.id, object_type, path, file_format)
            result = run_import(session, workspace, path, object_type)
            assert counts(result) == (0, 0, len(before[object_type]), 0)

        assert snapshot(session, workspace) == before
        assert history_counts(session, workspace) == (before["property_changes"], before["outbox"])

    def test_progress_is_reported_with_the_total(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        for _ in range(3):
            make_contact(session, workspace)
        seen: list[tuple[int, int]] = []

        count = write_export(
            session, workspace.id, "contacts", tmp_path / "c.xlsx", "xlsx",
            lambda done, total: seen.append((done, total)),
        )  # fmt: skip

        assert (count, seen[-1]) == (3, (3, 3))
