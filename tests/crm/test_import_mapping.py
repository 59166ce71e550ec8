"""Mappings: YAML files whose mistakes name their place, and mappings inferred from headers,
including the column names of HubSpot and Salesforce exports."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from dealflow.crm.importing.mapping import MappingError, infer_plan, load_mapping
from dealflow.models import Workspace
from tests.factories import make_company, make_user
from tests.fixtures.importing import FIXTURES, counts, rows_of, run_import

EXAMPLES = Path(__file__).parents[2] / "examples" / "mappings"


def mapping_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mapping.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    return caught.value.message


class TestMappingFiles:
    @pytest.mark.parametrize("name", ["crm_sales_opportunities.yml", "x_education_leads.yml"])
    def test_the_shipped_examples_load(self, name: str) -> None:
        plan = load_mapping(EXAMPLES / name)

        assert plan.description
        assert all(file_plan.rules for file_plan in plan.files)

    def test_an_unknown_field_names_the_mapping_entry_and_the_choices(self, tmp_path: Path) -> None:
        message = mapping_error(
            tmp_path, "object: contacts\ncolumns:\n  Mail: email\n  First: first_nam\n"
        )

        assert message.startswith(f"{tmp_path / 'mapping.yml'}: columns['First']: ")
        assert "contacts have no field 'first_nam'. Fields: first_name, last_name" in message

    def test_an_unknown_setting_is_named_with_the_allowed_ones(self, tmp_path: Path) -> None:
        message = mapping_error(
            tmp_path,
            "files:\n  - file: a.csv\n    object: contacts\n    colums: {Mail: email}\n",
        )

        assert "files[0]: unknown setting(s) colums; allowed: columns" in message

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("object: contact\ncolumns:\n  id: {property: Score}\n", "use lower_snake_case"),
            ("object: contacts\ncolumns:\n  s: {property: s, type: money}\n", "type 'money'"),
            ("object: contacts\ncolumns:\n  n: first_name\n", "no key column"),
            ("object: deals\ncolumns:\n  id: external_id\n  c: {association: boss}\n", "'boss'"),
            ("object: contacts\ncolumns:\n  e: email\n  c: {association: company, by: x}\n",
             "not 'x'"),
            ("object: widgets\ncolumns:\n  e: email\n", "unknown object type 'widgets'"),
            ("object: contacts\nstage_history: {Won: d}\ncolumns:\n  e: email\n",
             "stage_history is only for deals"),
        ],
    )  # fmt: skip
    def test_mistakes_are_explained(self, tmp_path: Path, text: str, expected: str) -> None:
        assert expected in mapping_error(tmp_path, text)

    def test_invalid_yaml_is_one_line_with_its_place(self, tmp_path: Path) -> None:
        message = mapping_error(tmp_path, "object: contacts\ncolumns: [\n")

        assert message == (
            f"{tmp_path / 'mapping.yml'}, line 3, column 1: not valid YAML "
            "(expected the node content, but found '<stream end>')"
        )

    def test_a_missing_mapping_file_is_named(self, tmp_path: Path) -> None:
        with pytest.raises(MappingError, match=r"nope\.yml does not exist"):
            load_mapping(tmp_path / "nope.yml")


class TestInference:
    def test_headers_match_fields_whatever_their_case_and_spacing(self) -> None:
        plan = infer_plan("contacts", ["E-mail", "First Name", "LIFECYCLE_STAGE", "Company", ""])

        assert [(r.column, r.name) for r in plan.rules] == [
            ("E-mail", "email"),
            ("First Name", "first_name"),
            ("LIFECYCLE_STAGE", "lifecycle_stage"),
            ("Company", "company"),
        ]
        assert (plan.key, plan.ignored) == ("email", ("",))

    def test_a_file_without_a_key_column_is_refused(self) -> None:
        with pytest.raises(MappingError, match=r"no key column\. Map one of external_id, email"):
            infer_plan("contacts", ["first_name", "last_name"])

    def test_an_unknown_preset_lists_the_available_ones(self) -> None:
        with pytest.raises(MappingError, match="unknown preset 'pipedrive'; available: hubspot"):
            infer_plan("contacts", ["Email"], preset_name="pipedrive")


class TestPresets:
    @pytest.mark.parametrize("preset", [None, "hubspot"])
    def test_a_hubspot_contact_export_imports(
        self, session: Session, workspace: Workspace, tmp_path: Path, preset: str | None
    ) -> None:
        company = make_company(session, workspace, name="Acme", domain="acme.com")
        owner = make_user(session, workspace, email="rep@acme.com")
        path = Path(shutil.copy(FIXTURES / "hubspot_contacts.csv", tmp_path))

        result = run_import(session, workspace, path, "contacts", preset_name=preset)

        assert counts(result) == (3, 0, 0, 0)
        ada, kenta, jiwoo = rows_of(session, workspace, "contacts")
        assert {k: ada[k] for k in ("external_id", "first_name", "email", "phone")} == {
            "external_id": "51",
            "first_name": "Ada",
            "email": "ada@example.com",
            "phone": "+442079460958",
        }
        assert (ada["lifecycle_stage"], ada["lead_status"], ada["job_title"]) == (
            "mql",
            "in_progress",
            "Analyst",
        )
        assert (ada["company_id"], ada["owner_id"]) == (company.id, owner.id)
        assert ada["created_at"] == datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
        assert (kenta["first_name"], kenta["last_name"], kenta["job_title"]) == (
            "健太",
            "佐藤",
            "部長",
        )
        assert (jiwoo["lifecycle_stage"], jiwoo["company_id"]) == ("sql", company.id)
        assert counts(run_import(session, workspace, path, "contacts", preset_name=preset)) == (
            0,
            0,
            3,
            0,
        )

    @pytest.mark.parametrize("preset", [None, "salesforce"])
    def test_a_salesforce_opportunity_export_imports(
        self, session: Session, workspace: Workspace, tmp_path: Path, preset: str | None
    ) -> None:
        company = make_company(session, workspace, name="Acme Inc", domain="acme.com")
        owner = make_user(session, workspace, email="rep@acme.com")
        path = Path(shutil.copy(FIXTURES / "salesforce_opportunities.csv", tmp_path))

        result = run_import(session, workspace, path, "deals", preset_name=preset)

        assert counts(result) == (2, 0, 0, 0)
        renewal, expansion = rows_of(session, workspace, "deals")
        assert (renewal["external_id"], renewal["name"], renewal["amount"]) == (
            "006A1",
            "Acme renewal",
            Decimal("12500.00"),
        )
        assert (renewal["company_id"], renewal["owner_id"], renewal["closed_at"]) == (
            company.id,
            owner.id,
            None,
        )
        assert (expansion["currency"], expansion["company_id"]) == ("EUR", company.id)
        assert expansion["closed_at"] == datetime(2024, 9, 30, tzinfo=UTC)

    def test_a_preset_reads_only_its_own_column_names(self) -> None:
        with pytest.raises(MappingError, match="'Opportunity ID'"):
            infer_plan(
                "deals", ["Opportunity ID", "Deal Name", "Deal Stage"], preset_name="hubspot"
            )
