"""POST and GET /companies/{id}/research: a real website on loopback, access by role."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from dealflow.models import Workspace
from dealflow.personalize.prospecting.suite.cases import ATTACK
from dealflow.personalize.prospecting.suite.server import LocalSite
from dealflow.personalize.prospecting.suite.sites import company_site
from dealflow.settings import get_settings
from tests.api.conftest import bearer
from tests.factories import make_company, make_contact, make_user


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    with LocalSite(company_site(f"<p>{ATTACK}</p>")) as served:
        monkeypatch.setenv("DEALFLOW_RESEARCH_ALLOWED_TARGETS", json.dumps([served.target]))
        monkeypatch.setenv("DEALFLOW_RESEARCH_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        yield served
    get_settings.cache_clear()


def test_research_is_run_then_read_back_with_sources(
    api: TestClient, session: Session, workspace: Workspace, site: LocalSite
) -> None:
    rep = make_user(session, workspace, role="rep")
    company = make_company(session, workspace, name="Northwind", owner_id=rep.id)
    contact = make_contact(session, workspace, company_id=company.id, owner_id=rep.id)
    headers = bearer(session, rep)
    assert api.get(f"companies/{company.id}/research", headers=headers).json()["run_id"] is None

    body = {"url": site.url(), "contact_id": contact.id, "max_pages": 3}
    posted = api.post(f"companies/{company.id}/research", json=body, headers=headers)

    assert posted.status_code == 201, posted.json()
    research = posted.json()
    assert [page["kind"] for page in research["pages"]] == ["home", "about", "products"]
    assert research["contact_id"] == contact.id
    assert research["set_aside"][0]["reason"] == "asks to ignore instructions"
    offices = next(f for f in research["findings"] if "offices in" in f["statement"])
    assert offices["source_url"] == site.url("/about")
    assert "evil.test" not in json.dumps(research["findings"])
    draft = api.get(f"drafts/{research['draft_id']}", headers=headers).json()
    assert draft["contact_id"] == contact.id
    assert api.get(f"companies/{company.id}/research", headers=headers).json() == research | {
        "draft_id": None
    }


def test_research_of_a_company_you_may_not_see_is_not_found(
    api: TestClient, session: Session, workspace: Workspace, site: LocalSite
) -> None:
    owner = make_user(session, workspace, role="rep")
    other = make_user(session, workspace, role="rep")
    company = make_company(session, workspace, owner_id=owner.id)
    headers = bearer(session, other)
    for response in (
        api.get(f"companies/{company.id}/research", headers=headers),
        api.post(f"companies/{company.id}/research", json={"url": site.url()}, headers=headers),
    ):
        assert response.status_code == 404
    assert site.requests == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://169.254.169.254/latest/", "link-local"), ("ftp://example.test/", "only http")],
)
def test_a_website_that_may_not_be_read_is_refused_with_the_reason(
    api: TestClient, session: Session, workspace: Workspace, url: str, reason: str
) -> None:
    admin = make_user(session, workspace, role="admin")
    company = make_company(session, workspace)
    response = api.post(
        f"companies/{company.id}/research", json={"url": url}, headers=bearer(session, admin)
    )
    assert response.status_code == 422
    assert reason in response.json()["error"]["message"]
    assert url in response.json()["error"]["message"]
