"""Drafting: a contact's context -> a generator -> the tone and grounding checks -> a draft
in the review queue. One ``Drafter`` per unit of work reads the workspace's tone rules and
names once, so many drafts cost little more than their contexts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.models import Draft, Segment
from dealflow.personalize.builder import build_context
from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest, GeneratedDraft, Generator
from dealflow.personalize.generators.registry import generator_named
from dealflow.personalize.grounding import GroundingReport, check_grounding, entity_vocabulary
from dealflow.personalize.merge_fields import MERGE_FIELD
from dealflow.personalize.phrasebook import boilerplate
from dealflow.personalize.segments import template_for
from dealflow.personalize.tone import ToneRules, ToneViolation, check_tone, tone_rules


@dataclass(frozen=True)
class Checked:
    """A draft's text with its context and what the checks found."""

    context: Context
    draft: GeneratedDraft
    tone: list[ToneViolation]
    grounding: GroundingReport

    @property
    def passes(self) -> bool:
        return not self.tone and self.grounding.grounded


class Drafter:
    """Drafts for one workspace with one generator."""

    def __init__(
        self, session: Session, workspace_id: int, generator: str | Generator = "offline"
    ) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.generator = generator_named(generator) if isinstance(generator, str) else generator
        self.tone = tone_rules(session, workspace_id)
        self.entities = entity_vocabulary(session, workspace_id)

    def compose(
        self, contact_id: int, segment: Segment | None = None, deal_id: int | None = None
    ) -> Checked:
        """Draft for the contact and check it (nothing is stored)."""
        context = build_context(self.session, self.workspace_id, contact_id, deal_id)
        template = template_for(segment, context.language)
        draft = self.generator.generate(DraftRequest(context, self.tone, template))
        tone, grounding = review_checks(
            draft.subject,
            draft.body,
            draft.language,
            context.facts,
            self.tone,
            segment,
            self.entities,
        )
        return Checked(context, draft, tone, grounding)

    def queue(
        self,
        contact_id: int,
        segment: Segment | None = None,
        deal_id: int | None = None,
        *,
        source: str = "cli",
        workflow_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> Draft:
        """Draft for the contact into the review queue (the same draft again for a key
        already used: a retried workflow step drafts once)."""
        if idempotency_key is not None:
            existing = self.session.scalars(
                select(Draft).where(
                    Draft.workspace_id == self.workspace_id,
                    Draft.idempotency_key == idempotency_key,
                )
            ).first()
            if existing is not None:
                return existing
        checked = self.compose(contact_id, segment, deal_id)
        subject = checked.context.subject
        assert subject is not None  # built from the CRM
        draft = Draft(
            workspace_id=self.workspace_id,
            contact_id=contact_id,
            deal_id=subject.deal.id if subject.deal else None,
            segment_id=segment.id if segment else None,
            owner_id=subject.contact.owner_id,
            generator=checked.draft.generator,
            model=checked.draft.model,
            language=checked.draft.language,
            subject=checked.draft.subject,
            body=checked.draft.body,
            drafted_subject=checked.draft.subject,
            drafted_body=checked.draft.body,
            facts=[fact.as_dict() for fact in checked.context.facts],
            tone_report=[v.as_dict() for v in checked.tone],
            grounding_report=[c.as_dict() for c in checked.grounding.claims],
            status="pending",
            source=source,
            workflow_id=workflow_id,
            idempotency_key=idempotency_key,
            prompt_tokens=checked.draft.prompt_tokens,
            completion_tokens=checked.draft.completion_tokens,
            cost=checked.draft.cost,
            created_at=clock.now(),
        )
        self.session.add(draft)
        self.session.flush()
        return draft


def review_checks(
    subject: str,
    body: str,
    language: str,
    facts: list[Fact],
    tone: ToneRules,
    segment: Segment | None,
    entities: frozenset[str],
) -> tuple[list[ToneViolation], GroundingReport]:
    """The tone violations and grounding report of a draft's text."""
    allowed = [*boilerplate(language), *template_words(segment)]
    if tone.sign_off:
        allowed.append(tone.sign_off)
    names = tuple(
        fact.value for fact in facts if fact.key in ("contact.first_name", "contact.last_name")
    )
    quoted = tuple(part for fact in facts for part in (fact.value, fact.detail) if part)
    violations = check_tone(subject, body, language, tone, names, quoted)
    grounding = check_grounding(subject, body, facts, language, allowed=allowed, entities=entities)
    return violations, grounding


def template_words(segment: Segment | None) -> list[str]:
    """The fixed words of a segment's templates (merge fields removed): the sender's own."""
    if segment is None:
        return []
    return [
        MERGE_FIELD.sub(" ", text)
        for parts in (segment.templates or {}).values()
        for text in parts.values()
        if text
    ]
