"""Bad text in list parameters and bodies is a 422 naming where, on both databases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import bearer
from tests.crm.test_access import Org


def test_a_nul_character_in_a_filter_or_search_names_the_parameter(
    api: TestClient, session: Session, org: Org
) -> None:
    headers = bearer(session, org.users["admin"])

    refused = api.get("tickets", params={"channel": "\x00", "q": "a\x00b"}, headers=headers)

    assert refused.status_code == 422
    fields = {item["field"] for item in refused.json()["error"]["fields"]}
    assert fields == {"channel", "q"}
    assert api.get("tickets", params={"channel": "email"}, headers=headers).status_code == 200


def test_a_nul_character_in_a_body_is_a_422_naming_the_field(
    api: TestClient, session: Session, org: Org
) -> None:
    headers = bearer(session, org.users["admin"])
    body = {"object_type": "deals", "name": "tier", "label": "Ti\x00er", "value_type": "bool"}

    refused = api.post("properties", json=body, headers=headers)

    assert refused.status_code == 422
    assert "label contains a NUL character" in refused.text
    assert (
        api.post("properties", json={**body, "label": "Tier"}, headers=headers).status_code == 201
    )
