"""The review queue: drafts wait for a person, who approves, edits then approves, or
rejects with a reason. A draft with unsupported statements cannot be approved as it is:
it must be edited (the edit is checked again and kept as a diff). Approved drafts wait
for sending (outreach). Reps see the drafts of the contacts they may see (``crm.access``).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import ConflictError, InvalidFieldsError, NotFoundError
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.models import Contact, Draft, Segment, User
from dealflow.personalize.context import Fact
from dealflow.personalize.drafting import Drafter, review_checks
from dealflow.personalize.grounding import entity_vocabulary
from dealflow.personalize.segments import get_segment
from dealflow.personalize.tone import tone_rules

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)


class UnsupportedStatementsError(ConflictError):
    """A draft whose statements do not all trace to its context cannot be approved as is."""


def visible_drafts(principal: Principal) -> Select[Any]:
    """The drafts ``principal`` may see: those of the contacts they may see."""
    contacts = select(Contact.id).where(access.visible(principal, "contacts"))
    return select(Draft).where(
        Draft.workspace_id == principal.workspace_id, Draft.contact_id.in_(contacts)
    )


def list_drafts(
    session: Session,
    principal: Principal,
    status: str | None = PENDING,
    *,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[Draft]:
    """A page of the drafts ``principal`` may see, newest first (of one status, or all)."""
    statement = visible_drafts(principal)
    if status is not None:
        if status not in STATUSES:
            raise InvalidFieldsError([("status", f"expected one of: {', '.join(STATUSES)}")])
        statement = statement.where(Draft.status == status)
    statement = statement.order_by(Draft.created_at.desc(), Draft.id.desc())
    return session.scalars(statement.limit(limit).offset(offset)).all()


def get_draft(session: Session, principal: Principal, draft_id: int) -> Draft:
    """A draft ``principal`` may see; NotFoundError otherwise."""
    draft = session.scalars(visible_drafts(principal).where(Draft.id == draft_id)).first()
    if draft is None:
        raise NotFoundError(f"draft #{draft_id} not found in this workspace")
    return draft


def unsupported_of(draft: Draft) -> list[dict[str, object]]:
    """The draft's statements that trace to no fact."""
    return [claim for claim in draft.grounding_report if not claim.get("supported")]


def do_approve(session: Session, principal: Principal, draft_id: int) -> Draft:
    """Approve a pending draft as written (refused while it states unsupported things)."""
    draft = _pending(session, principal, draft_id)
    unsupported = unsupported_of(draft)
    if unsupported:
        listed = "; ".join(f"{c['kind']} {c['text']!r}" for c in unsupported)
        raise UnsupportedStatementsError(
            f"draft #{draft.id} states what its context does not support ({listed}): "
            "edit it, then approve"
        )
    return _decide(draft, principal, APPROVED)


def do_edit_and_approve(
    session: Session, principal: Principal, draft_id: int, subject: str, body: str
) -> Draft:
    """Replace the draft's text with the reviewer's, check it again, keep the diff, and
    approve it (the reviewer vouches for what they wrote)."""
    if not body.strip():
        raise InvalidFieldsError([("body", "the edited email is empty")])
    draft = _pending(session, principal, draft_id)
    segment = session.get(Segment, draft.segment_id) if draft.segment_id else None
    facts = [Fact.from_dict(item) for item in draft.facts]
    tone, grounding = review_checks(
        subject.strip(),
        body.strip(),
        draft.language,
        facts,
        tone_rules(session, draft.workspace_id),
        segment,
        entity_vocabulary(session, draft.workspace_id),
    )
    diff = difflib.unified_diff(
        f"Subject: {draft.subject}\n\n{draft.body}\n".splitlines(keepends=True),
        f"Subject: {subject.strip()}\n\n{body.strip()}\n".splitlines(keepends=True),
        fromfile="drafted",
        tofile="edited",
    )
    draft.edit_diff = "".join(diff) or None
    draft.edited = draft.edit_diff is not None
    draft.subject, draft.body = subject.strip(), body.strip()
    draft.tone_report = [v.as_dict() for v in tone]
    draft.grounding_report = [c.as_dict() for c in grounding.claims]
    return _decide(draft, principal, APPROVED)


def do_reject(session: Session, principal: Principal, draft_id: int, reason: str) -> Draft:
    """Reject a pending draft; the reason is kept as feedback."""
    if not reason.strip():
        raise InvalidFieldsError([("reason", "say why the draft is rejected")])
    draft = _pending(session, principal, draft_id)
    draft.reject_reason = reason.strip()
    return _decide(draft, principal, REJECTED)


def _pending(session: Session, principal: Principal, draft_id: int) -> Draft:
    draft = get_draft(session, principal, draft_id)
    if draft.status != PENDING:
        raise ConflictError(f"draft #{draft.id} is already {draft.status}")
    return draft


def _decide(draft: Draft, principal: Principal, status: str) -> Draft:
    draft.status = status
    draft.reviewed_by = principal.user_id
    draft.reviewed_at = clock.now()
    return draft


@dataclass
class Rates:
    """How reviewers decided on one group of drafts."""

    drafts: int = 0
    pending: int = 0
    approved: int = 0
    edited: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, draft: Draft) -> None:
        self.drafts += 1
        if draft.status == PENDING:
            self.pending += 1
        elif draft.status == REJECTED:
            self.rejected += 1
            reason = draft.reject_reason or ""
            self.reasons[reason] = self.reasons.get(reason, 0) + 1
        elif draft.edited:
            self.edited += 1
        else:
            self.approved += 1

    @property
    def reviewed(self) -> int:
        return self.approved + self.edited + self.rejected

    def rate(self, count: int) -> float | None:
        """A share of the reviewed drafts (None before any review)."""
        return round(count / self.reviewed, 3) if self.reviewed else None

    def as_dict(self) -> dict[str, object]:
        return {
            "drafts": self.drafts,
            "pending": self.pending,
            "reviewed": self.reviewed,
            "accepted_as_is": self.rate(self.approved),
            "edited_then_approved": self.rate(self.edited),
            "rejected": self.rate(self.rejected),
            "reject_reasons": dict(sorted(self.reasons.items(), key=lambda kv: -kv[1])),
        }


def review_report(session: Session, principal: Principal) -> dict[str, dict[str, Rates]]:
    """Acceptance, edit and reject rates of the visible drafts, per generator, template
    (segment) and rep."""
    drafts = session.scalars(visible_drafts(principal)).all()
    segments = dict(
        session.execute(
            select(Segment.id, Segment.name).where(Segment.workspace_id == principal.workspace_id)
        ).all()
    )
    users = dict(
        session.execute(
            select(User.id, User.name).where(User.workspace_id == principal.workspace_id)
        ).all()
    )
    report: dict[str, dict[str, Rates]] = {
        "generator": defaultdict(Rates),
        "template": defaultdict(Rates),
        "rep": defaultdict(Rates),
    }
    for draft in drafts:
        report["generator"][draft.generator].add(draft)
        template = segments.get(draft.segment_id, "(none)") if draft.segment_id else "(none)"
        report["template"][template].add(draft)
        report["rep"][
            users.get(draft.owner_id, "(no owner)") if draft.owner_id else "(no owner)"
        ].add(draft)
    return {group: dict(rows) for group, rows in report.items()}


def do_queue_draft(
    session: Session,
    principal: Principal,
    contact_id: int,
    *,
    generator: str = "offline",
    segment: str | None = None,
    deal_id: int | None = None,
    source: str = "api",
) -> Draft:
    """Draft for a contact ``principal`` may see into the review queue."""
    access.read(session, principal, "contacts", contact_id)
    if deal_id is not None:
        access.read(session, principal, "deals", deal_id)
    chosen = get_segment(session, principal.workspace_id, segment) if segment else None
    drafter = Drafter(session, principal.workspace_id, generator)
    return drafter.queue(contact_id, chosen, deal_id, source=source)
