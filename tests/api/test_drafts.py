"""``/drafts``: a rep drafts for their own contacts and reviews them; others' drafts are
not found; unsupported statements block approval (409) until edited; the report adds up."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import bearer
from tests.crm.test_access import Org


def test_a_rep_drafts_reviews_and_reports_through_the_api(
    api: TestClient, session: Session, org: Org
) -> None:
    rep, teammate = bearer(session, org.users["rep"]), bearer(session, org.users["teammate"])
    admin = bearer(session, org.users["admin"])
    contact_id = org.owned["rep"]["contacts"]

    refused = api.post("drafts", headers=teammate, json={"contact_id": contact_id})
    assert refused.status_code == 404, refused.text
    made = [api.post("drafts", headers=rep, json={"contact_id": contact_id}) for _ in range(3)]
    assert all(answer.status_code == 201 for answer in made), made[0].text
    first, second, third = (answer.json() for answer in made)
    assert first["status"] == "pending" and first["generator"] == "offline"
    assert first["facts"] and all(f["object"] and f["field"] for f in first["facts"])
    assert all(claim["supported"] for claim in first["grounding_report"])

    assert api.get("drafts", headers=teammate).json() == []
    assert {d["id"] for d in api.get("drafts", headers=rep).json()} == {
        first["id"],
        second["id"],
        third["id"],
    }
    assert api.get(f"drafts/{first['id']}", headers=teammate).status_code == 404

    approved = api.post(f"drafts/{first['id']}/approve", headers=rep)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    invented = first["body"] + "\n\nYour 900 stores will love it."
    edited = api.post(f"drafts/{second['id']}/edit", headers=rep, json={"body": invented})
    assert edited.status_code == 200 and edited.json()["edited"] is True
    assert "+Your 900 stores will love it." in edited.json()["edit_diff"]
    assert [c["text"] for c in edited.json()["grounding_report"] if not c["supported"]] == ["900"]
    rejected = api.post(f"drafts/{third['id']}/reject", headers=rep, json={"reason": "Wrong tone"})
    assert rejected.json()["reject_reason"] == "Wrong tone"
    again = api.post(f"drafts/{third['id']}/approve", headers=rep)
    assert again.status_code == 409 and "already rejected" in again.text

    report = api.get("drafts/report", headers=admin).json()
    offline = report["generator"]["offline"]
    assert (offline["reviewed"], offline["reject_reasons"]) == (3, {"Wrong tone": 1})
    assert offline["accepted_as_is"] == offline["edited_then_approved"] == offline["rejected"]
    stranger = bearer(session, org.users["stranger"])  # another workspace
    assert api.get("drafts?status=all", headers=stranger).json() == []
