"""The issue's acceptance on a small demo: the diagnosis shows the planted duplicates and
sloppy values, the agent fixes them, the score rises, and undo restores every table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm.cleansing.service import apply_changeset, run_agent, undo_changeset
from dealflow.crm.quality.service import diagnose
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from tests.crm.cleansing.dirty_data import APPEND_ONLY, dump


def test_the_agent_cleans_the_demo_and_undo_restores_it(session: Session) -> None:
    with clock.frozen_at(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) as frozen:
        summary = build_demo(session, slug="clean-me", scale=0.02, today=clock.now().date())
        workspace = get_workspace(session, "clean-me")
        before = diagnose(session, workspace, now=clock.now())
        found = {(p.code, p.object_type) for p in before.problems}
        assert {("duplicates", "contacts"), ("duplicates", "companies")} <= found
        duplicates = {p.object_type: p.count for p in before.problems if p.code == "duplicates"}
        assert duplicates["contacts"] >= summary.duplicates[1]
        assert duplicates["companies"] >= summary.duplicates[0]
        tables = dump(session)

        frozen.advance(timedelta(minutes=1))
        changeset = run_agent(session, workspace, now=clock.now(), diagnosis=before)
        apply_changeset(session, workspace.id, changeset.id, now=clock.now())
        after = diagnose(session, workspace, now=clock.now())
        assert after.score > before.score
        assert not [
            p for p in after.problems if p.code == "duplicates" and p.object_type != "products"
        ]

        frozen.advance(timedelta(minutes=1))
        undo_changeset(session, workspace.id, changeset.id, now=clock.now())
        restored = dump(session)
    for table, rows in tables.items():
        if table in APPEND_ONLY:
            assert restored[table][: len(rows)] == rows, table
        else:
            assert restored[table] == rows, table
