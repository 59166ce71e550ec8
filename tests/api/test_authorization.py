"""Who sees and changes what through the API: every list, read and update endpoint obeys
the same role rules as the CRM layer (reps their own, managers their teams', admins the
workspace's, nobody another workspace's), and records outside them are 404, not 403."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dealflow.crm import tokens
from dealflow.crm.access import principal_for
from dealflow.models import Workspace
from tests.api.conftest import bearer
from tests.crm.test_access import SEES, Org
from tests.factories import stage_named

PATHS = {
    "contacts": "contacts",
    "companies": "companies",
    "deals": "deals",
    "tickets": "tickets",
    "activities": "activities",
}
UPDATES = {
    "contacts": {"job_title": "Buyer"},
    "companies": {"industry": "Retail"},
    "deals": {"name": "Renewal"},
    "tickets": {"subject": "Broken hinge"},
}


@pytest.mark.parametrize("object_type", list(PATHS))
@pytest.mark.parametrize("viewer", list(SEES))
class TestMatrix:
    def test_lists_hold_exactly_the_records_the_role_allows(
        self, api: TestClient, session: Session, org: Org, viewer: str, object_type: str
    ) -> None:
        headers = bearer(session, org.users[viewer])
        # the first request writes the token's use down (in a thread); on SQLite the next
        # one reads on the event loop
        for _ in range(2):
            response = api.get(PATHS[object_type], headers=headers)

            assert response.status_code == 200
            listed = {record["id"] for record in response.json()["data"]}
            assert listed == {org.owned[owner][object_type] for owner in SEES[viewer]}

    def test_reading_a_record_outside_the_role_is_not_found(
        self, api: TestClient, session: Session, org: Org, viewer: str, object_type: str
    ) -> None:
        headers = bearer(session, org.users[viewer])
        for owner, records in org.owned.items():
            response = api.get(f"{PATHS[object_type]}/{records[object_type]}", headers=headers)

            expected = 200 if owner in SEES[viewer] else 404
            assert response.status_code == expected, (owner, response.json())
            if expected == 404:
                assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("object_type", list(UPDATES))
@pytest.mark.parametrize("viewer", list(SEES))
def test_updates_succeed_only_on_records_the_role_allows(
    api: TestClient, session: Session, org: Org, viewer: str, object_type: str
) -> None:
    headers = bearer(session, org.users[viewer])
    for owner, records in org.owned.items():
        record_id = records[object_type]
        response = api.patch(
            f"{PATHS[object_type]}/{record_id}", json=UPDATES[object_type], headers=headers
        )

        if owner in SEES[viewer]:
            assert response.status_code == 200, response.json()
            [(field, value)] = UPDATES[object_type].items()
            assert response.json()[field] == value
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("viewer", list(SEES))
def test_tasks_are_completed_and_deals_moved_only_within_the_role(
    api: TestClient, session: Session, org: Org, workspace: Workspace, viewer: str
) -> None:
    headers = bearer(session, org.users[viewer])
    demo = stage_named(session, workspace, "Demo")
    for owner, records in org.owned.items():
        allowed = owner in SEES[viewer]
        done = api.post(f"activities/{records['activities']}/complete", headers=headers)
        moved = api.post(
            f"deals/{records['deals']}/move", json={"stage_id": demo.id}, headers=headers
        )

        assert done.status_code == (200 if allowed else 404)
        if owner == "stranger":  # their stage ids are not this workspace's
            assert moved.status_code in (404, 422)
        else:
            assert moved.status_code == (200 if allowed else 404)
        if allowed:
            assert done.json()["status"] == "done"


class TestAssigning:
    def test_a_rep_cannot_give_a_record_away(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        response = api.patch(
            f"contacts/{org.owned['rep']['contacts']}",
            json={"owner_id": org.users["teammate"].id},
            headers=bearer(session, org.users["rep"]),
        )

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        assert "a rep cannot give records" in response.json()["error"]["message"]

    def test_a_manager_creates_for_their_team_but_not_for_another(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        headers = bearer(session, org.users["manager"])

        ours = api.post(
            "contacts",
            json={"email": "a@x.example", "owner_id": org.users["rep"].id},
            headers=headers,
        )
        theirs = api.post(
            "contacts",
            json={"email": "b@x.example", "owner_id": org.users["west_rep"].id},
            headers=headers,
        )

        assert ours.status_code == 201
        assert ours.json()["owner_id"] == org.users["rep"].id
        assert theirs.status_code == 403

    def test_a_new_record_belongs_to_its_creator(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        headers = bearer(session, org.users["west_rep"])

        created = api.post("companies", json={"name": "Initech"}, headers=headers)

        assert created.status_code == 201
        assert created.json()["owner_id"] == org.users["west_rep"].id
        assert api.get(f"companies/{created.json()['id']}", headers=headers).status_code == 200

    def test_links_to_records_one_cannot_see_are_refused_as_not_found(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        hidden = org.owned["teammate"]["companies"]
        response = api.post(
            "contacts",
            json={"email": "c@x.example", "company_id": hidden},
            headers=bearer(session, org.users["rep"]),
        )

        assert response.status_code == 422
        assert response.json()["error"]["fields"] == [
            {"field": "company_id", "problem": f"#{hidden} not found"}
        ]


class TestTokens:
    def test_no_token_or_an_unknown_one_is_401(self, api: TestClient) -> None:
        for headers in ({}, {"Authorization": "Bearer dft_nope"}, {"Authorization": "Basic x"}):
            response = api.get("contacts", headers=headers)

            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.json()["error"]["code"] == "unauthenticated"

    def test_a_revoked_token_stops_working_and_tokens_are_listed_without_secrets(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        headers = bearer(session, org.users["rep"])
        created = api.post("tokens", json={"name": "script"}, headers=headers)
        secret = created.json()["secret"]
        mine = {"Authorization": f"Bearer {secret}"}

        assert api.get("contacts", headers=mine).status_code == 200
        listed = api.get("tokens", headers=mine).json()
        assert {token["name"] for token in listed} == {"tests", "script"}
        assert secret not in str(listed)

        revoked = api.delete(f"tokens/{created.json()['token']['id']}", headers=headers)

        assert revoked.json()["revoked_at"] is not None
        assert api.get("contacts", headers=mine).status_code == 401

    def test_nobody_revokes_another_users_token_unless_admin(
        self, api: TestClient, session: Session, org: Org
    ) -> None:
        theirs = tokens.create_token(session, principal_for(org.users["teammate"]), "theirs")
        session.flush()

        as_rep = api.delete(f"tokens/{theirs.token.id}", headers=bearer(session, org.users["rep"]))
        as_stranger = api.delete(
            f"tokens/{theirs.token.id}", headers=bearer(session, org.users["stranger"])
        )
        as_admin = api.delete(
            f"tokens/{theirs.token.id}", headers=bearer(session, org.users["admin"])
        )

        assert (as_rep.status_code, as_stranger.status_code, as_admin.status_code) == (
            404,
            404,
            200,
        )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "webhooks", None),
        ("post", "webhooks", {"url": "https://example.com/h", "topics": ["record.created"]}),
        (
            "post",
            "properties",
            {"object_type": "contacts", "name": "budget", "value_type": "number"},
        ),
    ],
)
@pytest.mark.parametrize("viewer", ["manager", "rep"])
def test_admin_only_endpoints_are_forbidden_to_others(
    api: TestClient,
    session: Session,
    org: Org,
    viewer: str,
    method: str,
    path: str,
    body: dict | None,
) -> None:
    response = api.request(method, path, json=body, headers=bearer(session, org.users[viewer]))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_pipelines_and_properties_are_only_the_workspaces_own(
    api: TestClient, session: Session, org: Org
) -> None:
    admin, stranger = bearer(session, org.users["admin"]), bearer(session, org.users["stranger"])
    made = api.post(
        "properties",
        json={"object_type": "deals", "name": "budget", "value_type": "number"},
        headers=admin,
    )
    ours = api.get("pipelines", headers=admin).json()

    assert made.status_code == 201
    assert api.get("properties?object_type=deals", headers=stranger).json() == []
    assert api.get(f"pipelines/{ours[0]['id']}", headers=stranger).status_code == 404
    assert [p["id"] for p in api.get("pipelines", headers=stranger).json()] != [ours[0]["id"]]
