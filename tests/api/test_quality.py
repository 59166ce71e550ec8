"""``/quality`` and ``/cleanse/changesets``: admins and managers read the diagnosis; only
admins run the agent, apply, reject and undo."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dealflow.models import Workspace
from tests.api.conftest import bearer
from tests.crm.cleansing.dirty_data import build_dirty_workspace
from tests.crm.test_access import Org


def test_the_diagnosis_and_the_agent_over_the_api(
    api: TestClient, session: Session, org: Org
) -> None:
    workspace = session.get(Workspace, org.users["admin"].workspace_id)
    assert workspace is not None
    build_dirty_workspace(session, workspace)
    admin, rep = bearer(session, org.users["admin"]), bearer(session, org.users["rep"])

    assert api.get("quality", headers=rep).status_code == 403
    diagnosis = api.get("quality", headers=admin)
    assert diagnosis.status_code == 200, diagnosis.text
    codes = {p["code"] for p in diagnosis.json()["problems"]}
    assert {"duplicates", "misspelt_value"} <= codes

    assert api.post("cleanse/changesets", headers=rep).status_code == 403
    run = api.post("cleanse/changesets", headers=admin, json={"auto_apply": False})
    assert run.status_code == 201, run.text
    changeset_id = run.json()["id"]
    detail = api.get(f"cleanse/changesets/{changeset_id}", headers=admin).json()
    merges = [i for i in detail["items"] if i["kind"] == "merge"]
    assert merges and all(i["status"] == "proposed" for i in detail["items"])

    applied = api.post(
        f"cleanse/changesets/{changeset_id}/apply", headers=admin, json={"only": ["merge"]}
    )
    assert applied.status_code == 200, applied.text
    assert applied.json()["summary"]["merge_applied"] == len(merges)
    assert api.post(f"cleanse/changesets/{changeset_id}/undo", headers=rep).status_code == 403
    undone = api.post(f"cleanse/changesets/{changeset_id}/undo", headers=admin)
    assert undone.json()["status"] == "undone"
    assert api.post(f"cleanse/changesets/{changeset_id}/undo", headers=admin).status_code == 409
    history = api.get("quality/history", headers=admin).json()
    assert len(history) == 2
