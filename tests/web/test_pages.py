"""Every page, for every role, shows only the records that role may see; actions on pages
change the database through the same services as the CLI."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock
from dealflow.crm import auth
from dealflow.crm.workspaces import default_pipeline, stages_of
from dealflow.models import Activity, AuditEntry, Contact, Deal, OutboxEvent, PropertyChange, User
from tests.web.conftest import Org, SignedIn, csrf_of

SEES = {
    "admin": {"rep", "teammate", "west_rep"},
    "manager": {"rep", "teammate"},
    "rep": {"rep"},
    "west_manager": {"west_rep"},
    "west_rep": {"west_rep"},
    "stranger": {"stranger"},
}
OWNERS = ("rep", "teammate", "west_rep", "stranger")


def _reason(text: str) -> dict[str, object]:
    """A score reason as the scorer stores it."""
    return {"text": text, "feature": "example", "value": 1, "impact": 0.5}


@pytest.mark.parametrize("viewer", list(SEES))
class TestEachRoleSeesOnlyItsRecords:
    def test_contact_list(self, signed_in: SignedIn, org: Org, viewer: str) -> None:
        page = signed_in(viewer).get("/contacts")

        assert page.status_code == 200
        for owner in OWNERS:
            assert (org.names[owner]["contacts"] in page.text) == (owner in SEES[viewer])

    def test_deal_board(self, signed_in: SignedIn, org: Org, viewer: str) -> None:
        page = signed_in(viewer).get("/deals")

        assert page.status_code == 200
        for owner in OWNERS:
            assert (org.names[owner]["deals"] in page.text) == (owner in SEES[viewer])

    def test_contact_and_deal_pages(self, signed_in: SignedIn, org: Org, viewer: str) -> None:
        client = signed_in(viewer)
        for owner in OWNERS:
            for path in (
                f"/contacts/{org.owned[owner]['contacts']}",
                f"/deals/{org.owned[owner]['deals']}",
            ):
                page = client.get(path)
                if owner in SEES[viewer]:
                    assert page.status_code == 200, path
                else:
                    assert page.status_code == 404, path
                    assert "not found" in page.text

    def test_my_day_and_tasks_hold_only_my_own_tasks(
        self, signed_in: SignedIn, org: Org, viewer: str
    ) -> None:
        client = signed_in(viewer)
        for path in ("/", "/tasks"):
            page = client.get(path)
            assert page.status_code == 200
            for owner in OWNERS:
                assert (org.names[owner]["tasks"] in page.text) == (owner == viewer), path


class TestSignIn:
    def test_signing_in_sets_a_protected_session_cookie_and_opens_my_day(
        self, org: Org, signed_in: SignedIn
    ) -> None:
        client = signed_in("admin")
        client.cookies.clear()
        form = client.get("/sign-in")
        answer = client.post(
            "/sign-in",
            data={
                "email": org.emails["rep"],
                "password": "a long enough password",
                "csrf_token": csrf_of(form.text),
                "next": "/contacts",
            },
        )

        assert answer.status_code == 303 and answer.headers["location"] == "/contacts"
        cookie = answer.headers["set-cookie"]
        assert "dealflow_session=" in cookie and "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower()
        assert "Rep Person" in client.get("/").text

    def test_a_wrong_password_shows_the_form_again(self, signed_in: SignedIn, org: Org) -> None:
        client = signed_in("admin")
        client.cookies.clear()
        form = client.get("/sign-in")
        answer = client.post(
            "/sign-in",
            data={
                "email": org.emails["teammate"],
                "password": "not the password",
                "csrf_token": csrf_of(form.text),
            },
        )

        assert answer.status_code == 401
        assert "Wrong email or password." in answer.text
        assert "dealflow_session" not in answer.headers.get("set-cookie", "")

    def test_repeated_failures_are_slowed_down_even_with_the_right_password_next(
        self, signed_in: SignedIn, org: Org
    ) -> None:
        client = signed_in("admin")
        client.cookies.clear()
        token = csrf_of(client.get("/sign-in").text)
        email = org.emails["west_rep"]
        with clock.frozen_at(clock.now()) as frozen:
            for _ in range(auth.FREE_FAILURES):
                wrong = {"email": email, "password": "guessing again", "csrf_token": token}
                assert client.post("/sign-in", data=wrong).status_code == 401
            right = {"email": email, "password": "a long enough password", "csrf_token": token}

            refused = client.post("/sign-in", data=right)

            assert refused.status_code == 429 and refused.headers["Retry-After"] == "31"
            assert "Too many failed sign-ins. Try again in 31 seconds." in refused.text
            frozen.advance(timedelta(seconds=31))
            assert client.post("/sign-in", data=right).status_code == 303

    def test_pages_send_strangers_to_the_sign_in_page(self, signed_in: SignedIn) -> None:
        client = signed_in("admin")
        client.cookies.clear()

        answer = client.get("/contacts")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in?next=/contacts"
        htmx = client.get("/contacts", headers={"HX-Request": "true"})
        assert htmx.headers["HX-Redirect"] == "/sign-in?next=/contacts"

    def test_signing_out_ends_the_session(self, signed_in: SignedIn) -> None:
        client = signed_in("rep")
        token = csrf_of(client.get("/").text)

        assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
        assert client.get("/").status_code == 303


class TestActions:
    def test_dragging_a_deal_moves_it_with_history_and_an_event(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        client = signed_in("rep")
        deal_id = org.owned["rep"]["deals"]
        with sessions() as session:
            stages = stages_of(session, default_pipeline(session, org.workspace_id).id)
        target = stages[2]
        token = csrf_of(client.get("/deals").text)

        answer = client.post(
            f"/deals/{deal_id}/move",
            data={"stage_id": str(target.id)},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )

        assert answer.status_code == 200 and 'id="board"' in answer.text
        with sessions() as session:
            assert session.get(Deal, deal_id).stage_id == target.id  # type: ignore[union-attr]
            change = session.scalars(
                select(PropertyChange).where(
                    PropertyChange.record_id == deal_id, PropertyChange.property == "stage_id"
                )
            ).one()
            assert (change.new_value, change.source) == (target.id, "web")
            assert change.changed_by == org.user_ids["rep"]
            topics = session.scalars(
                select(OutboxEvent.topic).where(OutboxEvent.record_id == deal_id)
            ).all()
            assert "deal.stage_changed" in topics
        history = client.get(f"/deals/{deal_id}").text
        assert target.name in history and "Rep Person" in history

    def test_nobody_moves_a_deal_they_cannot_see(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        client = signed_in("west_rep")
        deal_id = org.owned["teammate"]["deals"]
        token = csrf_of(client.get("/deals").text)
        with sessions() as session:
            before = session.get(Deal, deal_id).stage_id  # type: ignore[union-attr]
            other_stage = stages_of(session, default_pipeline(session, org.workspace_id).id)[3]

        answer = client.post(
            f"/deals/{deal_id}/move",
            data={"stage_id": str(other_stage.id), "csrf_token": token},
        )

        assert answer.status_code == 404
        with sessions() as session:
            assert session.get(Deal, deal_id).stage_id == before  # type: ignore[union-attr]

    def test_marking_a_task_done(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        client = signed_in("teammate")
        task_id = org.owned["teammate"]["tasks"]
        token = csrf_of(client.get("/tasks").text)

        answer = client.post(
            f"/tasks/{task_id}/done", headers={"HX-Request": "true", "X-CSRF-Token": token}
        )

        assert answer.status_code == 200 and "Done" in answer.text
        with sessions() as session:
            task = session.get(Activity, task_id)
            assert task is not None and task.status == "done" and task.completed_at is not None
        assert org.names["teammate"]["tasks"] not in client.get("/tasks").text
        assert org.names["teammate"]["tasks"] in client.get("/tasks?show=all").text

    def test_the_contact_page_shows_the_score_and_its_reasons(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        contact_id = org.owned["west_rep"]["contacts"]
        client = signed_in("west_rep")
        assert "Not scored yet" in client.get(f"/contacts/{contact_id}").text
        with sessions() as session, session.begin():
            contact = session.get(Contact, contact_id)
            assert contact is not None
            contact.score, contact.score_band = 87, "A"
            contact.score_reasons = [
                _reason("Asked for pricing twice this week"),
                _reason("Works at a customer"),
            ]

        page = client.get(f"/contacts/{contact_id}").text

        assert "Asked for pricing twice this week" in page and "Works at a customer" in page
        assert "band-A" in page
        listed = client.get("/contacts?band=A").text
        assert "Asked for pricing twice this week" in listed  # the top reason in the list

    def test_bad_filters_get_a_clear_error(self, signed_in: SignedIn) -> None:
        client = signed_in("admin")

        answer = client.get("/contacts?sort=shoe_size")
        assert answer.status_code == 422 and "sort 'shoe_size' is not one of" in unescape(
            answer.text
        )
        assert client.get("/contacts?page=0").status_code == 422
        assert client.get("/deals/not-a-number").status_code == 422


class TestCsrf:
    def test_a_post_without_the_token_is_refused_and_changes_nothing(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        client = signed_in("rep")
        task_id = org.owned["rep"]["tasks"]

        missing = client.post(f"/tasks/{task_id}/done")
        wrong = client.post(f"/tasks/{task_id}/done", headers={"X-CSRF-Token": "0" * 64})
        forged = client.post(f"/tasks/{task_id}/done", data={"csrf_token": "forged"})

        assert [missing.status_code, wrong.status_code, forged.status_code] == [403, 403, 403]
        with sessions() as session:
            assert session.get(Activity, task_id).status == "open"  # type: ignore[union-attr]

    def test_a_token_from_another_session_is_refused(self, signed_in: SignedIn, org: Org) -> None:
        theirs = csrf_of(signed_in("teammate").get("/").text)
        client = signed_in("rep")

        answer = client.post(
            f"/tasks/{org.owned['rep']['tasks']}/done", headers={"X-CSRF-Token": theirs}
        )
        assert answer.status_code == 403

    def test_the_sign_in_form_needs_its_token_too(self, signed_in: SignedIn, org: Org) -> None:
        client = signed_in("admin")
        client.cookies.clear()

        answer = client.post(
            "/sign-in", data={"email": org.emails["rep"], "password": "a long enough password"}
        )
        assert answer.status_code == 403


class TestSettings:
    @pytest.mark.parametrize("path", ["/settings/users", "/settings/teams", "/settings/audit"])
    def test_only_admins_manage_the_workspace(self, signed_in: SignedIn, path: str) -> None:
        assert signed_in("admin").get(path).status_code == 200
        for viewer in ("manager", "rep"):
            page = signed_in(viewer).get(path)
            assert page.status_code == 403 and "only an admin" in page.text

    def test_an_admin_adds_a_user_who_can_then_sign_in(
        self, signed_in: SignedIn, sessions: sessionmaker[Session], org: Org
    ) -> None:
        client = signed_in("admin")
        token = csrf_of(client.get("/settings/users").text)

        answer = client.post(
            "/settings/users",
            data={
                "csrf_token": token,
                "name": "Nadia Newcomer",
                "email": "nadia@example.com",
                "role": "rep",
                "password": "first password here",
            },
        )

        assert answer.status_code == 303
        with sessions() as session:
            user = session.scalars(select(User).where(User.email == "nadia@example.com")).one()
            assert user.role == "rep" and user.password_hash
            actions = session.scalars(
                select(AuditEntry.action).where(AuditEntry.target == "nadia@example.com")
            ).all()
            assert "user_added" in actions

    def test_a_short_password_is_refused_with_the_reason(self, signed_in: SignedIn) -> None:
        client = signed_in("admin")
        token = csrf_of(client.get("/settings/users").text)

        answer = client.post(
            "/settings/users",
            data={
                "csrf_token": token,
                "name": "Short",
                "email": "short@example.com",
                "role": "rep",
                "password": "short",
            },
        )
        assert answer.status_code == 422 and "at least 10 characters" in answer.text

    def test_an_api_token_is_shown_once(self, signed_in: SignedIn) -> None:
        client = signed_in("rep")
        token = csrf_of(client.get("/settings/tokens").text)

        made = client.post("/settings/tokens", data={"csrf_token": token, "name": "my script"})

        assert made.status_code == 201
        [secret] = re.findall(r"dft_[A-Za-z0-9_-]{40,}", made.text)
        listed = client.get("/settings/tokens").text
        assert "my script" in listed and secret[:10] in listed
        assert secret not in listed


class TestLanguages:
    def test_choosing_persian_turns_the_page_right_to_left_and_is_remembered(
        self, signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
    ) -> None:
        client = signed_in("west_manager")
        token = csrf_of(client.get("/").text)

        answer = client.post(
            "/language", data={"locale": "fa", "next": "/contacts", "csrf_token": token}
        )

        assert answer.status_code == 303 and answer.headers["location"] == "/contacts"
        page = client.get("/contacts").text
        assert '<html lang="fa" dir="rtl">' in page
        assert "مخاطبان" in page  # "Contacts"
        with sessions() as session:
            assert session.get(User, org.user_ids["west_manager"]).locale == "fa"  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("locale", "word"), [("ja", "連絡先"), ("ko", "연락처"), ("en", "Contacts")]
    )
    def test_each_language_translates_the_pages(
        self, signed_in: SignedIn, locale: str, word: str
    ) -> None:
        client = signed_in("admin")
        client.post(
            "/language", data={"locale": locale, "csrf_token": csrf_of(client.get("/").text)}
        )

        page = client.get("/contacts").text

        assert f'<html lang="{locale}" dir="ltr">' in page and word in page

    @pytest.mark.parametrize(
        ("locale", "said"),
        [
            ("en", "Visited the pricing page 3 times this week"),
            ("ja", "今週、料金ページを 3 回閲覧"),
            ("ko", "이번 주 가격 페이지 3회 방문"),
            ("fa", "این هفته 3 بار از صفحهٔ قیمت بازدید کرد"),
        ],
    )
    def test_score_reasons_are_said_in_the_viewer_s_language(
        self,
        signed_in: SignedIn,
        org: Org,
        sessions: sessionmaker[Session],
        locale: str,
        said: str,
    ) -> None:
        contact_id = org.owned["teammate"]["contacts"]
        english = "Visited the pricing page 3 times this week"
        with sessions() as session, session.begin():
            contact = session.get(Contact, contact_id)
            assert contact is not None
            contact.score, contact.score_band = 91, "A"
            contact.score_reasons = [
                {"text": english, "feature": "pricing_views_7d", "value": 3, "impact": 0.9},
                {"text": "Seniority is vp", "feature": "a_custom_feature", "value": "vp"},
            ]
        client = signed_in("teammate")
        token = csrf_of(client.get("/").text)
        client.post("/language", data={"locale": locale, "csrf_token": token})
        try:
            page = client.get(f"/contacts/{contact_id}").text
            listed = client.get("/contacts?band=A").text
        finally:
            client.post("/language", data={"locale": "en", "csrf_token": token})

        assert said in page and said in listed  # the top reason in the list too
        assert (english in page) == (locale == "en")
        assert "Seniority is vp" in page  # a feature without a phrase keeps its sentence

    def test_an_unknown_language_is_refused(self, signed_in: SignedIn) -> None:
        client = signed_in("rep")
        answer = client.post(
            "/language", data={"locale": "xx", "csrf_token": csrf_of(client.get("/").text)}
        )
        assert answer.status_code == 422 and "language 'xx'" in unescape(answer.text)
