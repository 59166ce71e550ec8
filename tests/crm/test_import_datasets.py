"""The shared public datasets import with the shipped mappings, and a second run is a no-op.

Skipped when ../shared/data (next to the repository) is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.crm.importing.mapping import load_mapping
from dealflow.crm.stats import record_counts
from dealflow.models import Contact, Product, Workspace
from tests.fixtures.importing import counts, history_counts, run_import

REPOSITORY = Path(__file__).parents[2]
DATA = REPOSITORY / ".." / "shared" / "data"
MAPPINGS = REPOSITORY / "examples" / "mappings"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared datasets not at {DATA}")


def test_crm_sales_opportunities(session: Session, workspace: Workspace, tmp_path: Path) -> None:
    plan = load_mapping(MAPPINGS / "crm_sales_opportunities.yml")
    folder = DATA / "crm_sales_opportunities"

    first = run_import(session, workspace, folder, plan, report_path=tmp_path / "report.csv")

    assert first.invalid == 0
    stats = record_counts(session, workspace.id)
    assert {k: stats[k] for k in ("companies", "users", "deals", "teams", "products")} == {
        "companies": 85,
        "users": 35,
        "deals": 8_800,
        "teams": 6,
        "products": 8,
    }
    products = session.scalars(select(Product.name).where(Product.workspace_id == workspace.id))
    assert "GTXPro" in set(products)
    history = history_counts(session, workspace)

    second = run_import(session, workspace, folder, plan, report_path=tmp_path / "report.csv")

    assert (second.created, second.updated, second.invalid) == (0, 0, 0)
    assert record_counts(session, workspace.id) == stats
    assert history_counts(session, workspace) == history


@pytest.mark.parametrize("source", ["folder", "file"])
def test_x_education_leads(
    session: Session, workspace: Workspace, tmp_path: Path, source: str
) -> None:
    plan = load_mapping(MAPPINGS / "x_education_leads.yml")
    folder = DATA / "x_education_leads"
    leads = folder if source == "folder" else folder / "Leads.csv"

    first = run_import(session, workspace, leads, plan, report_path=tmp_path / "report.csv")

    assert counts(first) == (9_240, 0, 0, 0)
    customers = session.scalar(
        select(func.count()).where(
            Contact.workspace_id == workspace.id, Contact.lifecycle_stage == "customer"
        )
    )
    assert customers == 3_561
    stats = record_counts(session, workspace.id)
    history = history_counts(session, workspace)

    second = run_import(session, workspace, leads, plan, report_path=tmp_path / "report.csv")

    assert counts(second) == (0, 0, 9_240, 0)
    assert record_counts(session, workspace.id) == stats
    assert history_counts(session, workspace) == history
