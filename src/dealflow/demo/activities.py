"""What reps log: emails, calls, meetings, notes and tasks around contacts, deals and tickets.

Work follows the journeys already decided: outreach when a contact becomes an MQL, a discovery
call that makes them an SQL, stage-specific touches while a deal moves (fewer per week on
deals that will be lost, none added during a stall), and answers to tickets. Sales emails
draw replies from engaged contacts.
"""

from __future__ import annotations

from random import Random
from typing import Any

from dealflow.demo.catalog import ProductPlan
from dealflow.demo.contacts import ContactPlan
from dealflow.demo.deals import LOST, WON, DealPlan
from dealflow.demo.draws import logistic, poisson
from dealflow.demo.questions import ANSWERS, COMPETITORS
from dealflow.demo.sales_team import UserPlan
from dealflow.demo.texts import ACTIVITY_TEXTS, TASKS, format_amount
from dealflow.demo.tickets import TicketPlan
from dealflow.demo.timeline import MINUTE, Window

STAGE_TOUCHES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("email", "intro_email"),),
    (("call", "discovery_call"), ("note", "call_note")),
    (("meeting", "demo_meeting"),),
    (("email", "proposal_email"),),
    (("call", "pricing_call"), ("email", "follow_up_email")),
)
"""What reps do in each open stage, by position (later stages reuse the last)."""
STAGE_TASKS = (None, "schedule_demo", "follow_up", "send_proposal", "follow_up")
FOLLOW_UPS_PER_WEEK = {True: 1.0, False: 0.5}
"""Extra follow-ups per week in a stage, for deals that will be won or not."""
MAX_FOLLOW_UPS = 8
SALES_REPLY_LOGIT = -0.8
OUTREACH_REPLY_LOGIT = -1.8
MEAN_DAYS_TO_REPLY = 0.8


class ActivityLog:
    """Collects activity rows, and the email replies they draw, in time order."""

    def __init__(self, rng: Random, window: Window) -> None:
        self.rng = rng
        self.window = window
        self._entries: list[tuple[float, dict[str, Any]]] = []
        self.replies: list[tuple[float, ContactPlan]] = []

    def rows(self) -> list[dict[str, Any]]:
        """The activities as rows for the ``activities`` table, oldest first."""
        self._entries.sort(key=lambda entry: entry[0])
        return [row for _, row in self._entries]

    def add(
        self,
        kind: str,
        at: float,
        text: tuple[str, str | None],
        contact: ContactPlan,
        owner: UserPlan,
        *,
        deal: DealPlan | None = None,
        ticket: TicketPlan | None = None,
        due: float | None = None,
        status: str | None = None,
        completed: float | None = None,
    ) -> None:
        """Log one activity (left out if the window's end cuts it off); an email may draw a
        reply, likelier from engaged contacts."""
        if at >= self.window.last:
            return
        moment = self.window.moment
        duration = None
        if kind == "call":
            duration = self.rng.randint(120, 1800)
        elif kind == "meeting":
            duration = self.rng.choice((1800, 2700, 3600, 5400))
        self._entries.append(
            (
                at,
                {
                    "kind": kind,
                    "subject": text[0],
                    "body": text[1],
                    "direction": "outbound" if kind in ("email", "call") else None,
                    "occurred_at": moment(at),
                    "due_at": moment(due) if due is not None else None,
                    "status": status,
                    "completed_at": moment(completed) if completed is not None else None,
                    "duration_seconds": duration,
                    "contact_id": contact.id,
                    "company_id": contact.company.id,
                    "deal_id": deal.id if deal else None,
                    "ticket_id": ticket.id if ticket else None,
                    "owner_id": owner.id,
                    "created_at": moment(at),
                },
            )
        )
        if kind == "email":
            logit = SALES_REPLY_LOGIT if deal else OUTREACH_REPLY_LOGIT
            if self.rng.random() < logistic(logit + 0.7 * contact.propensity):
                self.replies.append((at + self.rng.expovariate(1.0 / MEAN_DAYS_TO_REPLY), contact))

    def compose(self, language: str, key: str, fields: dict[str, Any]) -> tuple[str, str]:
        """A subject and body of kind ``key``, written in ``language`` and filled in."""
        subject, body = self.rng.choice(ACTIVITY_TEXTS[language][key])
        return subject.format(**fields), body.format(**fields)

    def task(
        self,
        key: str,
        created: float,
        finished_by: float | None,
        contact: ContactPlan,
        owner: UserPlan,
        fields: dict[str, Any],
        *,
        deal: DealPlan | None = None,
        cancelled: bool = False,
    ) -> None:
        """A task due a few days after ``created``; done (or cancelled) when the work it was
        for finished before the window's end, open otherwise."""
        due = created + self.rng.uniform(2.0, 7.0)
        subject = TASKS[contact.language][key].format(**fields)
        if finished_by is None or finished_by >= self.window.last:
            self.add(
                "task", created, (subject, None), contact, owner, deal=deal, due=due, status="open"
            )
            return
        status = "cancelled" if cancelled else "done"
        completed = (
            None if cancelled else self.rng.uniform(created, max(created, min(finished_by, due)))
        )
        self.add(
            "task",
            created,
            (subject, None),
            contact,
            owner,
            deal=deal,
            due=due,
            status=status,
            completed=completed,
        )


def plan_activities(
    rng: Random,
    contacts: list[ContactPlan],
    deals: list[DealPlan],
    tickets: list[TicketPlan],
    products: list[ProductPlan],
    window: Window,
) -> ActivityLog:
    """Every activity of the window, with the email replies it drew."""
    log = ActivityLog(rng, window)
    for contact in contacts:
        _outreach(log, contact, rng.choice(products))
    for deal in deals:
        _deal_work(log, deal)
    for ticket in tickets:
        _answer(log, ticket)
    return log


def _fields(
    rng: Random, contact: ContactPlan, owner: UserPlan, product: ProductPlan, amount: float
) -> dict[str, Any]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company.name,
        "product": product.name,
        "amount": format_amount(amount),
        "competitor": rng.choice(COMPETITORS),
        "count": rng.randint(2, 20),
        "city": contact.city.local_name,
        "rep": owner.name,
    }


def _owner_at(contact: ContactPlan, day: float) -> UserPlan:
    if contact.previous_owner is not None and day < (contact.owner_changed or 0.0):
        return contact.previous_owner
    return contact.owner


def _outreach(log: ActivityLog, contact: ContactPlan, product: ProductPlan) -> None:
    """An intro email to new MQLs; the discovery call (and its note) that makes an SQL."""
    rng, language = log.rng, contact.language
    mql, sql = contact.reached("mql"), contact.reached("sql")
    if mql is not None:
        at = mql + rng.uniform(0.05, 2.0)
        owner = _owner_at(contact, at)
        fields = _fields(rng, contact, owner, product, float(product.price))
        log.add("email", at, log.compose(language, "intro_email", fields), contact, owner)
    if sql is not None:
        at = max(sql - rng.uniform(0.02, 0.2), mql or contact.created)
        owner = _owner_at(contact, at)
        fields = _fields(rng, contact, owner, product, float(product.price))
        log.add("call", at, log.compose(language, "discovery_call", fields), contact, owner)
        log.add(
            "note", at + 10 * MINUTE, log.compose(language, "call_note", fields), contact, owner
        )
        log.task("follow_up", sql, contact.opportunity_at or sql + 4.0, contact, owner, fields)


def _deal_work(log: ActivityLog, deal: DealPlan) -> None:
    """The touches of each stage the deal passed through, and a note when it closed."""
    fields = _fields(log.rng, deal.contact, deal.owner, deal.product, float(deal.amount))
    steps = deal.steps
    for index, (step, entered) in enumerate(steps):
        if step in (WON, LOST):
            _closing(log, deal, step == WON, entered, fields)
            continue
        following = steps[index + 1] if index + 1 < len(steps) else None
        _stage_work(log, deal, step, entered, following, fields)


def _stage_work(
    log: ActivityLog,
    deal: DealPlan,
    position: int,
    entered: float,
    following: tuple[int, float] | None,
    fields: dict[str, Any],
) -> None:
    """What the rep does while the deal sits in one open stage: that stage's touches early on,
    follow-ups spread over the stay, and a task that is done when the deal moves on."""
    rng, contact, owner, language = log.rng, deal.contact, deal.owner, deal.contact.language
    leaves = following[1] if following is not None else None
    until = leaves if leaves is not None else log.window.last
    span = until - entered
    position = min(position, len(STAGE_TOUCHES) - 1)
    touches = list(STAGE_TOUCHES[position])
    if position == 2 and rng.random() < 0.4:
        touches.append(("meeting", "site_survey"))
    for kind, key in touches:
        at = entered + rng.random() * min(span, 3.0)
        log.add(kind, at, log.compose(language, key, fields), contact, owner, deal=deal)
    weekly = FOLLOW_UPS_PER_WEEK[deal.will_win]
    for _ in range(min(poisson(rng, span / 7.0 * weekly), MAX_FOLLOW_UPS)):
        email = rng.random() < 0.6
        kind, key = ("email", "follow_up_email") if email else ("call", "follow_up_call")
        at = rng.uniform(entered, until)
        log.add(kind, at, log.compose(language, key, fields), contact, owner, deal=deal)
    task = STAGE_TASKS[position]
    if task is not None:
        lost_next = following is not None and following[0] == LOST
        created = entered + min(0.05, span / 2)
        cancelled = lost_next and rng.random() < 0.5
        log.task(task, created, leaves, contact, owner, fields, deal=deal, cancelled=cancelled)


def _closing(
    log: ActivityLog, deal: DealPlan, won: bool, closed: float, fields: dict[str, Any]
) -> None:
    """The note on a closed deal; a won one also gets its hand-over to onboarding."""
    contact, owner = deal.contact, deal.owner
    note = log.compose(contact.language, "won_note" if won else "lost_note", fields)
    log.add("note", closed + 5 * MINUTE, note, contact, owner, deal=deal)
    if won:
        handover = closed + 10 * MINUTE
        log.task("onboarding", handover, closed + 5.0, contact, owner, fields, deal=deal)


def _answer(log: ActivityLog, ticket: TicketPlan) -> None:
    """Support's emailed answer to a resolved ticket."""
    if ticket.closed is None:
        return
    contact, owner = ticket.contact, ticket.contact.owner
    at = ticket.created + (ticket.closed - ticket.created) * log.rng.uniform(0.3, 0.9)
    answer = ANSWERS[contact.language][ticket.topic].format(product=ticket.product.name)
    subject, body = ACTIVITY_TEXTS[contact.language]["ticket_reply"][0]
    fields = {
        "subject": ticket.subject,
        "answer": answer,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "rep": owner.name,
    }
    text = (subject.format(**fields), body.format(**fields))
    log.add("email", at, text, contact, owner, ticket=ticket)
