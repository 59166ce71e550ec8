"""``/forecast``: each person sees the forecast they may see, and submits their number."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.models import PropertyChange, Workspace
from tests.api.conftest import bearer
from tests.crm.test_access import Org
from tests.predict.forecast.test_workspace_forecast import _history


def test_reps_see_their_own_row_managers_their_team_admins_everything(
    api: TestClient, session: Session, workspace: Workspace, org: Org, frozen_clock: FrozenClock
) -> None:
    _history(session, workspace, org.users["rep"], frozen_clock)
    _history(session, workspace, org.users["west_rep"], frozen_clock)

    def seen(key: str, **params: str) -> dict:
        response = api.get("forecast", headers=bearer(session, org.users[key]), params=params)
        assert response.status_code == 200, response.text
        return response.json()

    mine = seen("rep", period="2026-Q4")
    assert [row["id"] for row in mine["reps"]] == [org.users["rep"].id]
    assert mine["teams"] == [] and mine["total"]["id"] == org.users["rep"].id
    team = seen("manager")
    assert [row["name"] for row in team["teams"]] == ["East"]
    assert {row["id"] for row in team["reps"]} == {org.users["rep"].id, org.users["teammate"].id}
    everything = seen("admin")
    assert {row["name"] for row in everything["teams"]} == {"East", "West"}
    total = everything["total"]
    assert total["ai_p10"] <= total["ai_p50"] <= total["ai_p90"]

    west = org.users["west_manager"].team_id
    refused = api.get(
        "forecast", headers=bearer(session, org.users["manager"]), params={"team_id": west}
    )
    assert refused.status_code == 403


def test_a_submission_is_kept_and_a_rep_cannot_adjust_others(
    api: TestClient, session: Session, org: Org
) -> None:
    rep = bearer(session, org.users["rep"])

    created = api.post(
        "forecast/submissions", headers=rep, json={"period": "2026-Q4", "amount": "50000"}
    )
    again = api.post(
        "forecast/submissions", headers=rep, json={"period": "2026-q4", "amount": "42000.5"}
    )
    refused = api.post(
        "forecast/submissions",
        headers=rep,
        json={"period": "2026-Q4", "amount": "1", "user_id": org.users["teammate"].id, "note": "x"},
    )
    listed = api.get("forecast/submissions", headers=rep, params={"period": "2026-Q4"})

    assert created.status_code == 201, created.text
    assert again.json()["period"] == "2026-Q4"
    assert refused.status_code == 403
    assert [row["amount"] for row in listed.json()] == ["50000.00", "42000.50"]
    assert api.get("forecast").status_code == 401


def test_a_rep_puts_a_deal_in_commit_and_the_change_is_kept(
    api: TestClient, session: Session, org: Org
) -> None:
    rep = bearer(session, org.users["rep"])
    deal_id = org.owned["rep"]["deals"]

    committed = api.patch(f"deals/{deal_id}", headers=rep, json={"forecast_category": "commit"})
    refused = api.patch(f"deals/{deal_id}", headers=rep, json={"forecast_category": "maybe"})
    history = session.scalars(
        select(PropertyChange.new_value).where(
            PropertyChange.record_id == deal_id, PropertyChange.property == "forecast_category"
        )
    ).all()

    assert committed.status_code == 200, committed.text
    assert committed.json()["forecast_category"] == "commit"
    assert refused.status_code == 422
    assert "forecast_category" in refused.text
    assert history == ["commit"]
