"""Factories for personalize tests: a contact in each draft language with a company, an
owner, a deal, a question asked in a ticket and recent behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm import service
from dealflow.models import Contact, DealContact, User, Workspace
from tests.factories import make_company, make_contact, make_deal, make_user

PEOPLE = {
    "en": ("Emily", "Turner", "Head of Operations", "Summit Retail", "London", "Retail"),
    "ja": ("隆", "藤井", "施設管理部長", "株式会社湘南食品", "横浜", "Food & Beverage"),
    "ko": ("다은", "양", "시설관리팀장", "(주)대성리조트", "부산", "Hospitality"),
    "fa": ("کامران", "امینی", "مدیر تأسیسات", "مسکن زاگرس", "شیراز", "Real Estate"),
}
QUESTIONS = {
    "en": "How long does installation take?",
    "ja": "設置にはどのくらい時間がかかりますか",
    "ko": "설치 기간은 얼마나 걸리나요",
    "fa": "نصب چقدر طول می‌کشد",
}


@dataclass
class Lead:
    contact: Contact
    owner: User


def make_lead(
    session: Session,
    workspace: Workspace,
    language: str,
    *,
    question: bool = True,
    webinar: str | None = None,
    owner: User | None = None,
    **contact_fields: object,
) -> Lead:
    """A lead speaking ``language`` with a company, an owner, a deal and some history."""
    first, last, title, company_name, city, industry = PEOPLE[language]
    owner = owner or make_user(session, workspace, name=f"Rep {language}")
    company = make_company(
        session, workspace, name=company_name, city=city, industry=industry, employees=240
    )
    fields = {
        "first_name": first,
        "last_name": last,
        "job_title": title,
        "language": language,
        "company_id": company.id,
        "owner_id": owner.id,
        "lifecycle_stage": "lead",
        **contact_fields,
    }
    contact = make_contact(session, workspace, **fields)
    deal = make_deal(
        session, workspace, name=f"{company_name} pilot", amount=12000, company_id=company.id
    )
    session.add(DealContact(deal_id=deal.id, contact_id=contact.id, workspace_id=workspace.id))
    if question:
        service.create_record(
            session,
            workspace.id,
            "tickets",
            {"subject": QUESTIONS[language], "contact_id": contact.id},
        )
    if webinar:
        service.record_engagement(
            session,
            workspace.id,
            contact.id,
            "webinar_attendance",
            occurred_at=clock.now() - timedelta(days=3),
            properties={"webinar": webinar},
        )
    session.flush()
    return Lead(contact, owner)
