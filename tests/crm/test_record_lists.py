"""How a list by score is read on SQLite: a rep's page (owner OR shared) walks the score
index in order and checks the owner in it, with no sort and no row read only to be dropped."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.core.dialect import dialect_of
from dealflow.crm.access import principal_for
from dealflow.crm.record_lists import ListRequest, SortKey, _rows_query
from dealflow.models import Workspace
from tests.factories import make_contact, make_user


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_the_first_page_by_score_reads_the_index_that_holds_the_owner(
    session: Session, workspace: Workspace, role: str
) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's plan (PostgreSQL reads ix_contacts_workspace_score_rank)")
    user = make_user(session, workspace, role=role)
    for score in (10, 50, None):
        make_contact(session, workspace, owner_id=user.id, score=score)
    request = ListRequest("contacts", sort=(SortKey("score", descending=True),))
    statement, _keys, _documents = _rows_query(dialect_of(session), principal_for(user), request)
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = [
        row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
    ]
    assert "SEARCH contacts USING INDEX ix_contacts_workspace_score_owner (workspace_id=?)" in plan
    assert not any("TEMP B-TREE" in step for step in plan)
