"""Record counts: every object type of one workspace, and nothing of another."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.crm import service
from dealflow.crm.stats import COUNTED, record_counts
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.factories import make_company, make_contact, make_deal, make_user


def test_a_new_workspace_has_only_its_default_pipeline(
    session: Session, workspace: Workspace
) -> None:
    counts = record_counts(session, workspace.id)

    assert list(counts) == list(COUNTED)
    assert {name: n for name, n in counts.items() if n} == {"pipelines": 1}


def test_each_record_type_is_counted_in_its_own_workspace_only(
    session: Session, workspace: Workspace
) -> None:
    other = ensure_workspace(session, "other")
    make_contact(session, other)
    company = make_company(session, workspace)
    make_contact(session, workspace, company_id=company.id)
    contact = make_contact(session, workspace)
    make_user(session, workspace)
    make_deal(session, workspace)
    service.update_record(session, workspace.id, "contacts", contact.id, {"job_title": "CEO"})

    counts = record_counts(session, workspace.id)

    assert {name: n for name, n in counts.items() if n} == {
        "companies": 1,
        "contacts": 2,
        "deals": 1,
        "users": 1,
        "pipelines": 1,
        "property_changes": 1,
    }
    assert record_counts(session, other.id)["contacts"] == 1
