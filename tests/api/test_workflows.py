"""``/workflows``: admins add, enable and disable workflows; everyone lists them, dry-runs them
on records they may see and reads the run trail of those records."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dealflow.models import Workflow
from tests.api.conftest import bearer
from tests.crm.test_access import Org

DOCUMENT = {
    "name": "Follow up new leads",
    "object": "contacts",
    "trigger": {"type": "record_created"},
    "steps": [{"action": {"type": "set_property", "property": "lead_status", "value": "new"}}],
}


def test_an_admin_adds_and_enables_a_workflow_that_reps_may_only_read(
    api: TestClient, session: Session, org: Org
) -> None:
    admin, rep = bearer(session, org.users["admin"]), bearer(session, org.users["rep"])

    refused = api.post("workflows", headers=rep, json=DOCUMENT)
    added = api.post("workflows", headers=admin, json=DOCUMENT)
    again = api.post("workflows", headers=admin, json=DOCUMENT)

    assert refused.status_code == 403, refused.text
    assert added.status_code == 201, added.text
    workflow = added.json()["workflow"]
    assert (workflow["name"], workflow["is_enabled"], added.json()["changed"]) == (
        "Follow up new leads",
        False,
        True,
    )
    assert again.json()["changed"] is False  # the same document is not a new version
    assert api.post(f"workflows/{workflow['id']}/enable", headers=rep).status_code == 403
    enabled = api.post(f"workflows/{workflow['id']}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.json()["is_enabled"] is True
    (listed,) = api.get("workflows", headers=rep).json()
    assert listed["workflow"]["is_enabled"] and listed["trigger"] and listed["dead_steps"] == 0
    disabled = api.post(f"workflows/{workflow['id']}/disable", headers=admin).json()
    assert disabled["is_enabled"] is False


def test_a_bad_definition_names_the_field(api: TestClient, session: Session, org: Org) -> None:
    answer = api.post(
        "workflows",
        headers=bearer(session, org.users["admin"]),
        json={**DOCUMENT, "trigger": {"type": "when_the_moon_is_full"}},
    )

    assert answer.status_code == 422
    assert "trigger" in answer.json()["error"]["message"]


def test_dry_run_and_trail_only_for_records_the_caller_may_see(
    api: TestClient, session: Session, org: Org
) -> None:
    admin, rep = bearer(session, org.users["admin"]), bearer(session, org.users["rep"])
    workflow_id = api.post("workflows", headers=admin, json=DOCUMENT).json()["workflow"]["id"]
    mine, theirs = org.owned["rep"]["contacts"], org.owned["west_rep"]["contacts"]

    preview = api.post(f"workflows/{workflow_id}/dry-run", headers=rep, json={"record_ids": [mine]})
    hidden = api.post(
        f"workflows/{workflow_id}/dry-run", headers=rep, json={"record_ids": [theirs]}
    )

    assert preview.status_code == 200, preview.text
    (result,) = preview.json()
    assert result["enrols"] is True and "set_property" in result["lines"][0]
    assert hidden.status_code == 404
    assert session.get_one(Workflow, workflow_id).is_enabled is False  # nothing was written
    trail = api.get(
        "workflows/trail", headers=rep, params={"object": "contacts", "record_id": mine}
    )
    assert trail.status_code == 200 and trail.json() == []
    assert (
        api.get(
            "workflows/trail", headers=rep, params={"object": "contacts", "record_id": theirs}
        ).status_code
        == 404
    )
