"""Drafts from the whole record: the facts with their sources, the offline composer in the
contact's language (passing its own tone and grounding checks), and segment templates."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.models import Workspace
from dealflow.personalize.builder import build_context
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.segments import save_segment
from dealflow.personalize.tone import ToneRules, save_tone_rules
from tests.personalize.conftest import QUESTIONS, make_lead


def test_the_context_names_the_record_and_field_of_every_fact(
    session: Session, workspace: Workspace
) -> None:
    lead = make_lead(session, workspace, "en", webinar="Cutting energy bills")
    context = build_context(session, workspace.id, lead.contact.id)
    facts = {fact.key: fact for fact in context}
    assert facts["company.name"].value == "Summit Retail"
    assert facts["company.name"].source() == f"companies #{lead.contact.company_id} name"
    assert facts["contact.job_title"].source() == f"contacts #{lead.contact.id} job_title"
    assert facts["question.ticket"].value == QUESTIONS["en"]
    assert facts["question.ticket"].object == "tickets"
    assert facts["behaviour.webinar_attendance"].value == "Cutting energy bills"
    assert facts["deal.name"].value == "Summit Retail pilot"
    assert facts["deal.amount"].value == "12000"
    assert facts["sender.name"].value == lead.owner.name


@pytest.mark.parametrize("language", ["en", "ja", "ko", "fa"])
def test_offline_drafts_pass_grounding_and_tone_in_the_contacts_language(
    session: Session, workspace: Workspace, language: str
) -> None:
    lead = make_lead(session, workspace, language)
    checked = Drafter(session, workspace.id).compose(lead.contact.id)
    assert checked.draft.language == language
    assert checked.tone == []
    assert checked.grounding.unsupported == []
    assert checked.passes
    body = checked.draft.body
    assert QUESTIONS[language] in body  # it opens with what they asked
    assert lead.owner.name in body
    polite = {"en": "Dear", "ja": "申し上げます", "ko": "감사합니다", "fa": "با احترام"}
    assert polite[language] in body


def test_a_japanese_draft_uses_keigo_and_the_name_with_sama(
    session: Session, workspace: Workspace
) -> None:
    lead = make_lead(session, workspace, "ja")
    body = Drafter(session, workspace.id).compose(lead.contact.id).draft.body
    assert body.startswith("株式会社湘南食品\n藤井 隆 様")
    assert "ございます" in body and "いただけますと幸いです" in body


def test_a_segment_template_fills_merge_fields_and_stays_grounded(
    session: Session, workspace: Workspace
) -> None:
    lead = make_lead(session, workspace, "en", question=False)
    segment = save_segment(
        session,
        workspace.id,
        "Retail leads",
        {"property": "company.industry", "op": "eq", "value": "Retail"},
        {
            "en": {
                "subject": "Energy savings for {{ company.name }}",
                "body": "Stores like yours in {{ company.city }} save on energy with our sensors.",
            }
        },
    )
    checked = Drafter(session, workspace.id).compose(lead.contact.id, segment)
    assert checked.draft.subject == "Energy savings for Summit Retail"
    assert "Stores like yours in London save on energy" in checked.draft.body
    assert checked.passes


def test_tone_guidelines_are_followed_and_broken_ones_are_listed(
    session: Session, workspace: Workspace
) -> None:
    lead = make_lead(session, workspace, "en")
    save_tone_rules(
        session,
        workspace.id,
        ToneRules(sign_off="Warm regards,", banned_phrases=("short call",), max_words=40),
    )
    checked = Drafter(session, workspace.id).compose(lead.contact.id)
    assert "Warm regards," in checked.draft.body  # the workspace's sign-off is used
    rules = sorted(v.rule for v in checked.tone)
    assert rules == ["banned_phrase", "max_length"]
    assert any("short call" in v.message for v in checked.tone)


def test_queueing_twice_with_one_key_drafts_once(session: Session, workspace: Workspace) -> None:
    lead = make_lead(session, workspace, "ko")
    drafter = Drafter(session, workspace.id)
    first = drafter.queue(lead.contact.id, idempotency_key="step-1")
    again = drafter.queue(lead.contact.id, idempotency_key="step-1")
    assert first.id == again.id
    assert first.status == "pending" and first.language == "ko"
    assert first.facts and first.grounding_report and first.tone_report == []


def test_a_korean_draft_writes_the_name_in_korean_order_or_as_given_in_latin_letters(
    session: Session, workspace: Workspace
) -> None:
    hangul = make_lead(session, workspace, "ko")
    latin = make_lead(session, workspace, "ko", first_name="Emily", last_name="Turner")
    drafter = Drafter(session, workspace.id)
    assert drafter.compose(hangul.contact.id).draft.body.startswith("양다은 님께")
    checked = drafter.compose(latin.contact.id)
    assert checked.draft.body.startswith("Emily Turner 님께") and checked.passes
