"""The diagnosis of an imported CRM finds the quirks a person would: a product spelt two
ways, a misspelt sector and country, open deals without an account. The rows are generated
in the shape of the Maven "CRM + Sales Opportunities" files (whose licence is unverified,
so none of its rows are copied) and imported with the shipped mapping."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.clock import FrozenClock
from dealflow.crm import service
from dealflow.crm.importing.mapping import load_mapping
from dealflow.crm.quality.service import diagnose, record_snapshot, score_history
from dealflow.crm.quality.targets import QualityTargets
from dealflow.models import Workspace
from tests.factories import make_company, make_contact
from tests.fixtures.importing import run_import

MAPPING = Path(__file__).parents[3] / "examples" / "mappings" / "crm_sales_opportunities.yml"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def maven_like_files(folder: Path) -> Path:
    _write(
        folder / "sales_teams.csv",
        ["sales_agent", "manager", "regional_office"],
        [["Ana Diaz", "Mia Stone", "West"], ["Bo Lind", "Mia Stone", "West"]],
    )
    _write(
        folder / "products.csv",
        ["product", "series", "sales_price"],
        [["GTX Basic", "GTX", 550], ["GTX Pro", "GTX", 4821], ["MG Special", "MG", 55]],
    )
    sectors = ["technolgy", "retail", "medical", "finance"]
    countries = ["United States", "Philipines", "Japan", "United States"]
    accounts = [
        [f"Account {i}", sectors[i % 4], 1990 + i, 100.5 + i, 50 + i, countries[i % 4], ""]
        for i in range(12)
    ]
    _write(
        folder / "accounts.csv",
        [
            "account",
            "sector",
            "year_established",
            "revenue",
            "employees",
            "office_location",
            "subsidiary_of",
        ],
        accounts,
    )
    deals = []
    for i in range(40):
        stage = ["Won", "Lost", "Engaging", "Prospecting"][i % 4]
        account = "" if stage in ("Prospecting", "Engaging") and i % 3 else f"Account {i % 12}"
        product = ["GTXPro", "GTX Basic", "GTX Pro", "MG Special"][i % 4]
        engage = "" if stage == "Prospecting" else "2017-03-01"
        close = "2017-05-01" if stage in ("Won", "Lost") else ""
        value = 1200 if stage == "Won" else (0 if stage == "Lost" else "")
        deals.append(
            [
                f"OPP{i:05d}",
                ["Ana Diaz", "Bo Lind"][i % 2],
                product,
                account,
                stage,
                engage,
                close,
                value,
            ]
        )
    _write(
        folder / "sales_pipeline.csv",
        [
            "opportunity_id",
            "sales_agent",
            "product",
            "account",
            "deal_stage",
            "engage_date",
            "close_date",
            "close_value",
        ],
        deals,
    )
    return folder


def test_the_real_quirks_are_found(
    session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    result = run_import(
        session,
        workspace,
        maven_like_files(tmp_path),
        load_mapping(MAPPING),
        report_path=tmp_path / "report.csv",
    )
    assert result.invalid == 0

    diagnosis = diagnose(session, workspace, now=clock.now())

    messages = [p.message for p in diagnosis.problems]
    found = "\n".join(messages)
    assert "'technolgy', likely a misspelling of 'technology'" in found
    assert "'Philipines', likely a misspelling of 'PH'" in found
    assert "open deals have no company" in found
    duplicates = next(
        p for p in diagnosis.problems if p.code == "duplicates" and p.object_type == "products"
    )
    assert (
        "'GTX Pro'" in duplicates.examples[0]["reason"]
        and "'GTXPro'" in duplicates.examples[0]["reason"]
    )
    impacts = [p.impact for p in diagnosis.problems]
    assert impacts == sorted(impacts, reverse=True)
    assert 0 < diagnosis.score < 100
    assert all(p.action for p in diagnosis.problems)


def test_targets_are_configurable_and_scores_are_kept(
    session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    run_import(
        session,
        workspace,
        maven_like_files(tmp_path),
        load_mapping(MAPPING),
        report_path=tmp_path / "report.csv",
    )
    strict = diagnose(session, workspace, now=clock.now())
    workspace.quality_targets = {"targets": {"companies.domain": "0%", "companies.owner_id": 0}}
    lenient = diagnose(session, workspace, now=clock.now())
    assert lenient.score > strict.score
    fills = {(p.object_type, p.prop) for p in lenient.problems if p.code == "low_fill_rate"}
    assert ("companies", "domain") not in fills
    assert ("companies", "domain") in {
        (p.object_type, p.prop) for p in strict.problems if p.code == "low_fill_rate"
    }
    assert (
        QualityTargets()
        .with_settings({"targets": {"contacts.phone": "50"}})
        .target("contacts", "phone")
        == 0.5
    )

    record_snapshot(session, workspace.id, strict)
    frozen_clock.advance(timedelta(days=1))
    record_snapshot(session, workspace.id, diagnose(session, workspace, now=clock.now()))
    assert [s.score for s in score_history(session, workspace.id)] == [strict.score, lenient.score]


def test_a_company_whose_contacts_are_active_is_fresh(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    active, quiet = make_company(session, workspace), make_company(session, workspace)
    talker = make_contact(session, workspace, company_id=active.id)
    make_contact(session, workspace, company_id=quiet.id)
    frozen_clock.advance(timedelta(days=400))
    service.log_activity(session, workspace.id, "call", links={"contact_id": talker.id})

    diagnosis = diagnose(session, workspace, now=clock.now())

    stale = next(
        p for p in diagnosis.problems if p.code == "stale" and p.object_type == "companies"
    )
    assert stale.count == 1
    assert [example["value"] for example in stale.examples] == [quiet.name]
