"""The research section of the contact page: findings with their sources, and the button."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dealflow.crm import service, users
from dealflow.crm.access import principal_for
from dealflow.crm.properties import define_property
from dealflow.personalize.prospecting.suite.cases import ATTACK
from dealflow.personalize.prospecting.suite.server import LocalSite
from dealflow.personalize.prospecting.suite.sites import company_site
from dealflow.settings import get_settings
from tests.web.conftest import Org, SignedIn, csrf_of


@pytest.fixture
def site(
    monkeypatch: pytest.MonkeyPatch, sessions: sessionmaker[Session], org: Org
) -> Iterator[LocalSite]:
    with LocalSite(company_site(f"<p>{ATTACK}</p>")) as served:
        monkeypatch.setenv("DEALFLOW_RESEARCH_ALLOWED_TARGETS", json.dumps([served.target]))
        monkeypatch.setenv("DEALFLOW_RESEARCH_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        with sessions() as session, session.begin():
            define_property(session, org.workspace_id, "companies", "website", "text")
            service.update_record(
                session,
                org.workspace_id,
                "companies",
                org.owned["rep"]["companies"],
                {"properties": {"website": served.url()}},
            )
        yield served
    get_settings.cache_clear()


def test_a_contact_page_says_when_the_company_was_never_researched(
    signed_in: SignedIn, org: Org
) -> None:
    page = signed_in("rep").get(f"/contacts/{org.owned['rep']['contacts']}")
    assert page.status_code == 200
    assert "Company research" in page.text
    assert "Not researched yet." in page.text
    assert "Research the website" in page.text


def test_the_button_researches_the_website_and_shows_findings_with_sources(
    signed_in: SignedIn, org: Org, site: LocalSite
) -> None:
    client = signed_in("rep")
    contact_id = org.owned["rep"]["contacts"]
    token = csrf_of(client.get(f"/contacts/{contact_id}").text)

    fragment = client.post(
        f"/contacts/{contact_id}/research",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )

    assert fragment.status_code == 200, fragment.text
    assert "We have offices in Rotterdam, Osaka and Chicago." in fragment.text
    assert f'href="{site.url("/about")}"' in fragment.text
    assert "Passages left out as instructions to an AI: 1" in fragment.text
    assert "evil.test" not in fragment.text
    page = client.get(f"/contacts/{contact_id}")
    assert "NW-200 Autonomous Forklift" in page.text


def test_the_section_is_in_the_viewers_language(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session, session.begin():
        teammate = users.get_user(session, org.workspace_id, org.user_ids["teammate"])
        users.set_locale(session, principal_for(teammate), "ja")
    page = signed_in("teammate").get(f"/contacts/{org.owned['teammate']['contacts']}")
    assert "企業リサーチ" in page.text
    assert "ウェブサイトをリサーチ" in page.text


def test_research_without_a_token_or_of_someone_elses_contact_is_refused(
    signed_in: SignedIn, org: Org, site: LocalSite
) -> None:
    client = signed_in("rep")
    token = csrf_of(client.get(f"/contacts/{org.owned['rep']['contacts']}").text)
    assert client.post(f"/contacts/{org.owned['rep']['contacts']}/research").status_code == 403
    other = client.post(
        f"/contacts/{org.owned['west_rep']['contacts']}/research", data={"csrf_token": token}
    )
    assert other.status_code == 404
    assert site.requests == []
