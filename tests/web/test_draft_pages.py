"""The review queue page: a rep sees the drafts of their own contacts with facts and checks,
approves, edits then approves, or rejects them through forms with the CSRF token; drafts
with unsupported statements offer no one-click approval; the page speaks Persian (RTL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from dealflow.models import Draft
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.generators.base import DraftRequest, GeneratedDraft
from tests.web.conftest import Org, SignedIn, csrf_of


class InventingModel:
    """A language model (a third party) that invents a number."""

    name = "llm"

    def generate(self, request: DraftRequest) -> GeneratedDraft:
        body = "Dear reader,\n\nYour 900 stores will love it. Shall we talk?\n\nKind regards"
        return GeneratedDraft("Hello", body, "en", self.name, "test-model")


@pytest.fixture
def queue(sessions: sessionmaker[Session], org: Org) -> Iterator[dict[str, int]]:
    with sessions() as session, session.begin():
        mine = org.owned["rep"]["contacts"]
        offline = Drafter(session, org.workspace_id).queue(mine)
        second = Drafter(session, org.workspace_id).queue(mine)
        invented = Drafter(session, org.workspace_id, InventingModel()).queue(mine)
        theirs = Drafter(session, org.workspace_id).queue(org.owned["west_rep"]["contacts"])
        ids = {
            "offline": offline.id,
            "second": second.id,
            "invented": invented.id,
            "theirs": theirs.id,
        }
    yield ids
    with sessions() as session, session.begin():
        session.execute(delete(Draft))


def test_a_rep_reviews_their_drafts_from_the_page(
    signed_in: SignedIn, queue: dict[str, int], sessions: sessionmaker[Session]
) -> None:
    client = signed_in("rep")
    page = client.get("/drafts").text
    assert f'id="draft-{queue["offline"]}"' in page and f'id="draft-{queue["theirs"]}"' not in page
    assert "Every statement traces to the CRM record" in page
    assert "Not in the CRM record" in page and "Your 900 stores will love it." in page
    assert f'action="/drafts/{queue["invented"]}/approve"' not in page  # edit first
    assert f'action="/drafts/{queue["offline"]}/approve"' in page
    token = csrf_of(page)

    forged = client.post(f"/drafts/{queue['offline']}/approve")
    assert forged.status_code == 403
    approved = client.post(f"/drafts/{queue['offline']}/approve", data={"csrf_token": token})
    assert approved.status_code == 303
    edited = client.post(
        f"/drafts/{queue['invented']}/edit",
        data={"csrf_token": token, "subject": "Hello", "body": "Dear reader,\n\nShall we talk?"},
    )
    assert edited.status_code == 303
    rejected = client.post(
        f"/drafts/{queue['second']}/reject", data={"csrf_token": token, "reason": "Too long"}
    )
    assert rejected.status_code == 303
    assert (
        client.post(f"/drafts/{queue['theirs']}/approve", data={"csrf_token": token}).status_code
        == 404
    )
    with sessions() as session:
        statuses = {key: session.get_one(Draft, i).status for key, i in queue.items()}
        assert session.get_one(Draft, queue["invented"]).edit_diff
    assert statuses == {
        "offline": "approved",
        "second": "rejected",
        "invented": "approved",
        "theirs": "pending",
    }
    assert "Too long" in client.get("/drafts?status=rejected").text


def test_the_queue_speaks_persian_right_to_left(signed_in: SignedIn, queue: dict[str, int]) -> None:
    client = signed_in("rep")
    token = csrf_of(client.get("/drafts").text)
    client.post("/language", data={"locale": "fa", "next": "/drafts", "csrf_token": token})
    page = client.get("/drafts").text
    assert '<html lang="fa" dir="rtl">' in page
    assert "صف بازبینی" in page and "تأیید" in page
