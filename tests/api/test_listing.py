"""List parameters: bad filter text is a 422 naming the parameter, on both databases."""

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
