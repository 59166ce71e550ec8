"""Upserts: re-importing updates what changed (with history and events), never erases with
blanks, matches keys the way people write them, and builds deals' stage history."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.crm.importing.importer import ImportRejectedError
from dealflow.crm.properties import definitions
from dealflow.crm.workspaces import create_pipeline
from dealflow.models import Deal, PropertyChange, Stage, Workspace
from tests.factories import events_of, make_contact, make_user
from tests.fixtures.importing import (
    counts,
    history_counts,
    report_rows,
    rows_of,
    run_import,
    write_csv,
    write_mapping,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def changes_of(session: Session, workspace: Workspace) -> list[tuple[str, object, object, str]]:
    rows = session.scalars(
        select(PropertyChange)
        .where(PropertyChange.workspace_id == workspace.id)
        .order_by(PropertyChange.id)
    )
    return [(c.property, c.old_value, c.new_value, c.source) for c in rows]


def midnight(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


class TestContactUpserts:
    def test_one_changed_value_updates_that_record_with_history_and_an_event(
        self, session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
    ) -> None:
        header = ["email", "first_name", "job_title"]
        rows = [["ada@example.com", "Ada", "Analyst"], ["grace@example.com", "Grace", "Admiral"]]
        run_import(session, workspace, write_csv(tmp_path / "a.csv", header, rows), "contacts")
        rows[0][2] = "Engineer"
        frozen_clock.set(datetime(2026, 3, 3, tzinfo=UTC))

        result = run_import(
            session, workspace, write_csv(tmp_path / "b.csv", header, rows), "contacts"
        )

        assert counts(result) == (0, 1, 1, 0)
        ada, grace = rows_of(session, workspace, "contacts")
        assert (ada["job_title"], ada["updated_at"]) == ("Engineer", frozen_clock.now())
        assert grace["updated_at"] == NOW
        assert changes_of(session, workspace) == [("job_title", "Analyst", "Engineer", "import")]
        [event] = events_of(session, workspace, "property.changed")
        assert (event.object_type, event.record_id, event.payload) == (
            "contacts",
            ada["id"],
            {"property": "job_title", "old": "Analyst", "new": "Engineer", "source": "import"},
        )

    def test_blank_cells_do_not_erase_values(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        header = ["email", "first_name", "job_title", "phone"]
        full = [["ada@example.com", "Ada", "Analyst", "+44 20 7946 0958"]]
        run_import(session, workspace, write_csv(tmp_path / "a.csv", header, full), "contacts")
        blanks = [["ada@example.com", "", "  ", ""]]

        result = run_import(
            session, workspace, write_csv(tmp_path / "b.csv", header, blanks), "contacts"
        )

        assert counts(result) == (0, 0, 1, 0)
        [ada] = rows_of(session, workspace, "contacts")
        assert (ada["first_name"], ada["job_title"], ada["phone"]) == (
            "Ada",
            "Analyst",
            "+442079460958",
        )

    def test_emails_match_whatever_their_case(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        existing = make_contact(session, workspace, email="Ada.Lovelace@Example.COM")
        owner = make_user(session, workspace, email="Rep.One@Example.com")
        path = write_csv(
            tmp_path / "contacts.csv",
            ["email", "job_title", "owner"],
            [["ada.lovelace@example.com", "Countess", "rep.one@EXAMPLE.com"]],
        )

        result = run_import(session, workspace, path, "contacts")

        assert counts(result) == (0, 1, 0, 0)
        [contact] = rows_of(session, workspace, "contacts")
        assert (contact["id"], contact["job_title"], contact["owner_id"]) == (
            existing.id,
            "Countess",
            owner.id,
        )

    def test_a_row_without_its_external_id_is_matched_by_email(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        make_contact(session, workspace, email="ada@example.com", external_id=None)
        path = write_csv(
            tmp_path / "contacts.csv",
            ["external_id", "email", "job_title"],
            [["", "ada@example.com", "Countess"], ["C-2", "grace@example.com", "Admiral"]],
        )

        result = run_import(session, workspace, path, "contacts")

        assert counts(result) == (1, 1, 0, 0)
        ada, grace = rows_of(session, workspace, "contacts")
        assert (ada["external_id"], ada["job_title"]) == (None, "Countess")
        assert (grace["external_id"], grace["email"]) == ("C-2", "grace@example.com")

    def test_custom_properties_are_created_with_their_types(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml",
            """
object: contacts
columns:
  Mail: email
  Visits: {property: visits, type: number}
  Since: {property: customer_since, type: date, format: "%d/%m/%Y"}
  Tier: {property: tier, type: enum, options: [gold, silver]}
  Newsletter: {property: newsletter, type: bool}
  Note: {property: note, type: text, missing: Select}
""",
        )
        path = write_csv(
            tmp_path / "contacts.csv",
            ["Mail", "Visits", "Since", "Tier", "Newsletter", "Note"],
            [["ada@example.com", "1,204.5", "31/12/2023", "Gold", "yes", "Select"]],
        )

        run_import(session, workspace, path, plan)

        defined = definitions(session, workspace.id, "contacts")
        assert {name: (d.value_type, d.options) for name, d in defined.items()} == {
            "visits": ("number", None),
            "customer_since": ("date", None),
            "tier": ("enum", ["gold", "silver"]),
            "newsletter": ("bool", None),
            "note": ("text", None),
        }
        [contact] = rows_of(session, workspace, "contacts")
        assert contact["properties"] == {
            "visits": 1204.5,
            "customer_since": "2023-12-31",
            "tier": "gold",
            "newsletter": True,
        }

    def test_a_changed_custom_property_is_one_history_row(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml",
            "object: contacts\ncolumns:\n  email: email\n"
            "  rating: {property: rating, type: number}\n",
        )
        first = write_csv(tmp_path / "a.csv", ["email", "rating"], [["ada@example.com", "3"]])
        run_import(session, workspace, first, plan)
        second = write_csv(tmp_path / "b.csv", ["email", "rating"], [["ada@example.com", "4.5"]])

        assert counts(run_import(session, workspace, second, plan)) == (0, 1, 0, 0)
        assert changes_of(session, workspace) == [("rating", 3.0, 4.5, "import")]


class TestCompanies:
    def test_a_parent_later_in_the_same_file_is_found(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml",
            """
object: companies
key: name
columns:
  account: name
  parent: {association: parent_company, by: name}
""",
        )
        path = write_csv(
            tmp_path / "companies.csv",
            ["account", "parent"],
            [
                ["Acme Japan", "Acme Holdings"],
                ["Acme Korea", "Acme Holdings"],
                ["Acme Holdings", ""],
            ],
        )

        assert counts(run_import(session, workspace, path, plan)) == (3, 0, 0, 0)

        japan, korea, holdings = rows_of(session, workspace, "companies")
        assert japan["parent_company_id"] == korea["parent_company_id"] == holdings["id"]
        assert changes_of(session, workspace) == []  # creation is not a change

    def test_a_new_parent_on_reimport_is_an_update_with_history(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml",
            "object: companies\nkey: name\ncolumns:\n  account: name\n"
            "  parent: {association: parent_company, by: name}\n",
        )
        header = ["account", "parent"]
        rows = [["Child", "Old Parent"], ["Old Parent", ""], ["New Parent", ""]]
        run_import(session, workspace, write_csv(tmp_path / "a.csv", header, rows), plan)
        rows[0][1] = "New Parent"

        result = run_import(session, workspace, write_csv(tmp_path / "b.csv", header, rows), plan)

        assert counts(result) == (0, 1, 2, 0)
        child, old, new = rows_of(session, workspace, "companies")
        assert child["parent_company_id"] == new["id"]
        assert changes_of(session, workspace) == [
            ("parent_company_id", old["id"], new["id"], "import")
        ]

    def test_identical_rows_collapse_when_the_mapping_deduplicates(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(
            tmp_path / "m.yml",
            "object: teams\ndeduplicate: true\ncolumns:\n  manager: name\n  office: region\n",
        )
        path = write_csv(
            tmp_path / "teams.csv",
            ["manager", "office"],
            [["Dustin", "Central"], ["Dustin", "Central"], ["Melvin", "West"]],
        )

        assert counts(run_import(session, workspace, path, plan)) == (2, 0, 1, 0)


MAVEN_MAPPING = """
object: deals
pipeline:
  name: Maven
  stages: [[Prospecting, 0.1, open], [Engaging, 0.4, open], [Won, 1.0, won], [Lost, 0.0, lost]]
stage_history:
  Engaging: engage_date
  Won: close_date
  Lost: close_date
columns:
  id: [external_id, name]
  stage: stage
  product: {association: product, by: name, create_missing: true}
  engage_date: ~
  close_date: ~
"""
DEAL_HEADER = ["id", "stage", "product", "engage_date", "close_date"]


class TestDeals:
    def stages(self, session: Session, workspace: Workspace) -> dict[str, int]:
        rows = session.scalars(select(Stage).where(Stage.workspace_id == workspace.id))
        return {
            s.name: s.id for s in rows if s.pipeline_id != self.sales_pipeline(session, workspace)
        }

    def sales_pipeline(self, session: Session, workspace: Workspace) -> int:
        deal_stage = session.scalar(
            select(Stage).where(Stage.workspace_id == workspace.id, Stage.name == "Qualified")
        )
        assert deal_stage is not None
        return deal_stage.pipeline_id

    def test_stage_dates_build_a_consistent_history(
        self, session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", MAVEN_MAPPING)
        path = write_csv(
            tmp_path / "deals.csv",
            DEAL_HEADER,
            [
                ["D-1", "won", "GTX Pro", "2024-01-05", "2024-02-01"],
                ["D-2", "Engaging", "GTX Pro", "2024-01-07", ""],
                ["D-3", "LOST", "MG Special", "2024-03-01", "2024-03-20"],
                ["D-4", "Prospecting", "", "", ""],
            ],
        )

        assert counts(run_import(session, workspace, path, plan)) == (4, 0, 0, 0)

        stage = self.stages(session, workspace)
        won, engaging, lost, prospecting = rows_of(session, workspace, "deals")
        assert (won["stage_id"], won["created_at"], won["closed_at"], won["updated_at"]) == (
            stage["Won"],
            midnight("2024-01-05"),
            midnight("2024-02-01"),
            midnight("2024-02-01"),
        )
        assert (engaging["stage_id"], engaging["created_at"], engaging["closed_at"]) == (
            stage["Engaging"],
            midnight("2024-01-07"),
            None,
        )
        assert (lost["stage_id"], lost["closed_at"]) == (stage["Lost"], midnight("2024-03-20"))
        assert (prospecting["created_at"], prospecting["closed_at"]) == (frozen_clock.now(), None)
        history = session.scalars(
            select(PropertyChange)
            .where(PropertyChange.workspace_id == workspace.id)
            .order_by(PropertyChange.id)
        ).all()
        assert [
            (h.record_id, h.property, h.old_value, h.new_value, h.changed_at) for h in history
        ] == [
            (won["id"], "stage_id", stage["Engaging"], stage["Won"], midnight("2024-02-01")),
            (won["id"], "closed_at", None, "2024-02-01T00:00:00+00:00", midnight("2024-02-01")),
            (lost["id"], "stage_id", stage["Engaging"], stage["Lost"], midnight("2024-03-20")),
            (lost["id"], "closed_at", None, "2024-03-20T00:00:00+00:00", midnight("2024-03-20")),
        ]
        assert {h.source for h in history} == {"import"}
        # Replayed history is not news: only record.created events were written.
        assert events_of(session, workspace, "property.changed") == []
        assert events_of(session, workspace, "deal.stage_changed") == []

    def test_create_missing_creates_the_associated_record(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", MAVEN_MAPPING)
        path = write_csv(
            tmp_path / "deals.csv",
            DEAL_HEADER,
            [["D-1", "Prospecting", "GTXPro", "", ""], ["D-2", "Prospecting", "GTXPro", "", ""]],
        )

        run_import(session, workspace, path, plan)

        [product] = rows_of(session, workspace, "products")
        assert product["name"] == "GTXPro"
        assert {d["product_id"] for d in rows_of(session, workspace, "deals")} == {product["id"]}
        created = events_of(session, workspace, "record.created")
        assert [e.object_type for e in created].count("products") == 1

    def test_stage_dates_out_of_order_are_a_bad_row(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", MAVEN_MAPPING)
        path = write_csv(
            tmp_path / "deals.csv",
            DEAL_HEADER,
            [["D-1", "Lost", "GTX Pro", "2024-03-01", "2024-02-01"]],
        )

        with pytest.raises(ImportRejectedError):
            run_import(session, workspace, path, plan)

        assert [(r["row"], r["column"], r["value"], r["reason"]) for r in report_rows(path)] == [
            ("2", "close_date", "2024-02-01", "Lost is dated before Engaging (2024-03-01)")
        ]
        assert rows_of(session, workspace, "deals") == []

    def test_an_unknown_stage_names_the_pipeline_stages(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", MAVEN_MAPPING)
        path = write_csv(tmp_path / "deals.csv", DEAL_HEADER, [["D-1", "Closing", "", "", ""]])

        with pytest.raises(ImportRejectedError):
            run_import(session, workspace, path, plan)

        [problem] = report_rows(path)
        assert (problem["column"], problem["reason"]) == (
            "stage",
            "not a stage of pipeline 'Maven' (Prospecting, Engaging, Won, Lost)",
        )

    def test_a_new_stage_on_reimport_is_recorded_and_announced(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        plan = write_mapping(tmp_path / "m.yml", MAVEN_MAPPING)
        rows = [["D-1", "Engaging", "GTX Pro", "2024-01-05", ""]]
        run_import(session, workspace, write_csv(tmp_path / "a.csv", DEAL_HEADER, rows), plan)
        history_before = history_counts(session, workspace)
        rows[0][1:] = ["Won", "GTX Pro", "2024-01-05", "2024-02-10"]

        result = run_import(
            session, workspace, write_csv(tmp_path / "b.csv", DEAL_HEADER, rows), plan
        )

        assert counts(result) == (0, 1, 0, 0)
        stage = self.stages(session, workspace)
        [deal] = rows_of(session, workspace, "deals")
        assert (deal["stage_id"], deal["closed_at"]) == (stage["Won"], midnight("2024-02-10"))
        assert changes_of(session, workspace) == [
            ("stage_id", stage["Engaging"], stage["Won"], "import"),
            ("closed_at", None, "2024-02-10T00:00:00+00:00", "import"),
        ]
        [moved] = events_of(session, workspace, "deal.stage_changed")
        assert (moved.record_id, moved.payload) == (
            deal["id"],
            {
                "from_stage_id": stage["Engaging"],
                "to_stage_id": stage["Won"],
                "from_kind": "open",
                "to_kind": "won",
            },
        )
        assert history_counts(session, workspace)[0] == history_before[0] + 2

    def test_a_deal_imported_as_won_without_dates_is_closed_on_its_close_date(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "deals.csv",
            ["external_id", "name", "stage", "close_date", "amount", "created_at"],
            [["D-1", "Big", "Closed won", "2024-06-30", "1,200.50", "2024-01-02"]],
        )

        run_import(session, workspace, path, "deals")

        deal = session.scalars(select(Deal).where(Deal.workspace_id == workspace.id)).one()
        assert (deal.amount, deal.created_at, deal.closed_at) == (
            Decimal("1200.50"),
            midnight("2024-01-02"),
            midnight("2024-06-30"),
        )

    def test_deals_name_their_pipeline_when_the_mapping_does_not(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        partners = create_pipeline(
            session, workspace.id, "Partners", [("Intro", 0.2, "open"), ("Signed", 1.0, "won")]
        )
        path = write_csv(
            tmp_path / "deals.csv",
            ["external_id", "name", "pipeline", "stage"],
            [
                ["D-1", "Reseller", "partners", "Intro"],
                ["D-2", "Direct", "Sales", "Qualified"],
                ["D-3", "Lost one", "Nope", "Intro"],
            ],
        )

        with pytest.raises(ImportRejectedError):
            run_import(session, workspace, path, "deals")
        [problem] = report_rows(path)
        assert (problem["row"], problem["column"], problem["value"]) == ("4", "pipeline", "Nope")
        assert problem["reason"].startswith("no pipeline has this name (")

        result = run_import(session, workspace, path, "deals", skip_invalid=True)

        assert counts(result) == (2, 0, 0, 1)
        reseller, direct = rows_of(session, workspace, "deals")
        assert reseller["pipeline_id"] == partners.id
        assert direct["pipeline_id"] == self.sales_pipeline(session, workspace)
