"""The demo's automation: the three template workflows enabled, an inquiry classifier
trained from past tickets whose topic support recorded, and a few fresh events for the
workflows to act on (contact-form inquiries in four languages, demo requests from leads,
deals reaching Proposal). The caller's worker then runs them; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.classify import service as inquiries
from dealflow.automate.classify.embedder import Embedder
from dealflow.automate.service import save_workflow, set_enabled
from dealflow.automate.templates import templates
from dealflow.crm import service
from dealflow.demo.questions import COMPETITORS, QUESTIONS
from dealflow.demo.sales_team import VENDOR_DOMAIN
from dealflow.models import Contact, Deal, Stage, Ticket

SALES_TOPICS = ("price", "competitors")
"""Tickets on these topics are sales inquiries; every other topic is support."""
LABELLED_PER_LANGUAGE = 12
"""Past tickets of each kind (sales, support) and language labelled for training."""
LANGUAGES = ("en", "ja", "ko", "fa")
DEMO_REQUESTS, PROPOSALS = 4, 3


@dataclass(frozen=True)
class DemoAutomation:
    workflows: list[str]
    labelled: int
    model_version: int
    inquiries: int
    demo_requests: int
    proposals: int


def start_automation(
    session: Session, workspace_id: int, seed: int, embedder: Embedder
) -> DemoAutomation:
    """Enable the templates, train the inquiry classifier and make the fresh events."""
    rng = Random(f"{seed}-automation")
    names = []
    for item in templates():
        workflow = save_workflow(session, workspace_id, item.document).workflow
        set_enabled(session, workspace_id, workflow.id, True)
        names.append(workflow.name)
    labelled = _label_past_tickets(session, workspace_id)
    model = inquiries.train(session, workspace_id, embedder)
    sent = _contact_form_inquiries(session, workspace_id, rng)
    requests = _demo_requests(session, workspace_id, rng)
    moved = _deals_to_proposal(session, workspace_id, rng)
    return DemoAutomation(names, labelled, model.version, sent, requests, moved)


def _label_past_tickets(session: Session, workspace_id: int) -> int:
    """Label the oldest tickets with a recorded topic, per language and kind."""
    wanted = {
        (language, sales): LABELLED_PER_LANGUAGE
        for language in LANGUAGES
        for sales in (True, False)
    }
    rows = session.execute(
        select(Ticket.id, Ticket.subject, Ticket.description, Ticket.properties, Contact.language)
        .join(Contact, Contact.id == Ticket.contact_id)
        .where(Ticket.workspace_id == workspace_id)
        .order_by(Ticket.created_at, Ticket.id)
    )
    labelled = 0
    for ticket_id, subject, description, properties, language in rows:
        topic = (properties or {}).get("topic")
        key = (language, topic in SALES_TOPICS)
        if topic is None or wanted.get(key, 0) == 0:
            continue
        wanted[key] -= 1
        inquiries.add_labelled(
            session,
            workspace_id,
            f"{subject}\n{description or ''}".strip(),
            "sales_inquiry" if key[1] else "support",
            record=("tickets", ticket_id),
        )
        labelled += 1
        if not any(wanted.values()):
            break
    return labelled


def _contact_form_inquiries(session: Session, workspace_id: int, rng: Random) -> int:
    """Per language, a prospect asking about buying and a customer needing help, through the
    contact form (prospects already with sales, so lead routing leaves them be)."""
    sent = 0
    for language in LANGUAGES:
        for stage, topics in (("sql", SALES_TOPICS), ("customer", ("installation", "warranty"))):
            contact = _pick(
                session,
                workspace_id,
                rng,
                Contact.language == language,
                Contact.lifecycle_stage == stage,
            )
            if contact is None:
                continue
            subject, body = rng.choice(QUESTIONS[language][rng.choice(topics)])
            fields = {
                "product": "SenseHub",
                "competitor": rng.choice(COMPETITORS),
                "count": rng.randint(2, 40),
                "days": rng.randint(3, 30),
                "city": contact.city or "Tokyo",
            }
            service.record_engagement(
                session,
                workspace_id,
                contact.id,
                "form_submit",
                url=f"https://www.{VENDOR_DOMAIN}/{language}/contact",
                properties={"form": "contact", "message": f"{subject}\n{body}".format(**fields)},
            )
            sent += 1
    return sent


def _demo_requests(session: Session, workspace_id: int, rng: Random) -> int:
    """New leads, one per language, asking for a demo (lead routing's trigger)."""
    made = 0
    for language in LANGUAGES[:DEMO_REQUESTS]:
        contact = _pick(
            session,
            workspace_id,
            rng,
            Contact.language == language,
            Contact.lifecycle_stage == "lead",
        )
        if contact is not None:
            service.record_engagement(
                session,
                workspace_id,
                contact.id,
                "form_submit",
                url=f"https://www.{VENDOR_DOMAIN}/{language}/demo",
                properties={"form": "demo_request"},
            )
            made += 1
    return made


def _deals_to_proposal(session: Session, workspace_id: int, rng: Random) -> int:
    """A few open deals in an earlier stage move to Proposal (the stage actions' trigger)."""
    proposal = session.scalar(
        select(Stage).where(Stage.workspace_id == workspace_id, Stage.name == "Proposal")
    )
    if proposal is None:
        return 0
    earlier = select(Stage.id).where(
        Stage.pipeline_id == proposal.pipeline_id,
        Stage.kind == "open",
        Stage.position < proposal.position,
    )
    candidates = session.scalars(
        select(Deal.id)
        .where(Deal.workspace_id == workspace_id, Deal.stage_id.in_(earlier))
        .order_by(Deal.id)
    ).all()
    chosen = rng.sample(list(candidates), min(PROPOSALS, len(candidates)))
    for deal_id in chosen:
        service.move_deal(session, workspace_id, deal_id, proposal.id, source="demo")
    return len(chosen)


def _pick(session: Session, workspace_id: int, rng: Random, *where: object) -> Contact | None:
    ids = session.scalars(
        select(Contact.id).where(Contact.workspace_id == workspace_id, *where).order_by(Contact.id)  # type: ignore[arg-type]
    ).all()
    return session.get(Contact, rng.choice(ids)) if ids else None
