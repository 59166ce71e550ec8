"""Scores follow what happens: an engagement rescores its contact a little later through a
job, the scorer's own writes never rescore, and every open record is rescored once a day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow import background
from dealflow.core.clock import FrozenClock
from dealflow.core.jobs import OncePerDay
from dealflow.crm import service
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact, Job
from dealflow.predict.rescoring import RESCORE, queue_daily_rescoring, queue_event_rescoring
from dealflow.predict.rules_config import parse_rules, save_rules
from dealflow.predict.scoring import score
from dealflow.predict.training import train
from tests.factories import make_contact


def rescoring_jobs(sessions: sessionmaker[Session]) -> list[Job]:
    with sessions() as session:
        return list(session.scalars(select(Job).where(Job.kind == RESCORE).order_by(Job.id)))


def contact(sessions: sessionmaker[Session], contact_id: int) -> Contact:
    with sessions() as session:
        found = session.get(Contact, contact_id)
        assert found is not None
        return found


def scored_workspace(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> tuple[int, list[int]]:
    """A workspace with three leads scored by the rules (too little history for a model)."""
    with sessions() as session, session.begin():
        workspace = ensure_workspace(session, "acme", "Acme")
        ids = [make_contact(session, workspace).id for _ in range(3)]
        train(session, workspace.id, "leads", now=frozen_clock.now())
        score(session, workspace.id, "leads", now=frozen_clock.now())
    return workspace.id, ids


def test_an_engagement_rescores_its_contact_once_the_burst_is_over(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    workspace_id, (first, second, third) = scored_workspace(sessions, frozen_clock)
    before = contact(sessions, first).score
    worker = background.worker(sessions)
    worker.run_periodic()  # today's full rescoring, and the records created above
    frozen_clock.advance(timedelta(minutes=5))
    worker.run_pending()
    queued_before = len(rescoring_jobs(sessions))

    frozen_clock.advance(timedelta(hours=1))
    with sessions() as session, session.begin():
        for path in ("/pricing", "/pricing/enterprise", "/pricing"):
            service.record_engagement(session, workspace_id, first, "page_view", url=path)
    queue_event_rescoring(sessions)
    with sessions() as session, session.begin():
        service.record_engagement(session, workspace_id, second, "form_submit")
    queue_event_rescoring(sessions)

    waiting = rescoring_jobs(sessions)[queued_before:]
    assert [job.payload["record_ids"] for job in waiting] == [[first, second]]  # one job
    assert worker.run_pending() == 0  # it waits for the burst to end
    frozen_clock.advance(timedelta(minutes=1))
    assert worker.run_pending() == 1
    rescored = contact(sessions, first)
    assert rescored.scored_at == frozen_clock.now()
    assert rescored.score is not None and before is not None and rescored.score > before
    assert any("pricing" in reason["text"] for reason in rescored.score_reasons)
    assert contact(sessions, third).scored_at < frozen_clock.now()  # untouched records wait

    queue_event_rescoring(sessions)  # the band change the run wrote is the scorer's own
    assert len(rescoring_jobs(sessions)) == queued_before + 1


def test_every_open_record_is_rescored_once_a_day(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    _, ids = scored_workspace(sessions, frozen_clock)
    worker = background.worker(sessions)
    steps = [OncePerDay(queue_daily_rescoring) for _ in range(2)]  # two workers' loops ask

    for step in steps:
        step(sessions)
        step(sessions)
    daily = [job for job in rescoring_jobs(sessions) if job.payload["record_ids"] is None]
    assert len(daily) == 1
    frozen_clock.advance(timedelta(days=1))
    for step in steps:
        step(sessions)
    worker.run_pending()

    daily = [job for job in rescoring_jobs(sessions) if job.payload["record_ids"] is None]
    assert [job.status for job in daily] == ["succeeded", "succeeded"]
    with sessions() as session:
        scored_now = session.scalar(
            select(func.count()).where(Contact.scored_at == frozen_clock.now())
        )
    assert scored_now == len(ids)


def test_events_before_the_first_training_queue_nothing(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        workspace = ensure_workspace(session, "acme", "Acme")
        make_contact(session, workspace)

    queue_event_rescoring(sessions)
    OncePerDay(queue_daily_rescoring)(sessions)

    assert rescoring_jobs(sessions) == []


def test_a_reason_that_no_longer_holds_is_rewritten_though_the_score_stays(
    session: Session, frozen_clock: FrozenClock
) -> None:
    workspace = ensure_workspace(session, "acme", "Acme")
    lead = make_contact(session, workspace)
    rule = {"feature": "pricing_views_30d", "op": "gte", "value": 1, "points": 20, "label": "x"}
    save_rules(session, workspace.id, "leads", parse_rules([rule], "leads"))
    train(session, workspace.id, "leads", now=frozen_clock.now())
    service.record_engagement(session, workspace.id, lead.id, "page_view", url="/pricing")
    score(session, workspace.id, "leads", now=frozen_clock.now())
    session.refresh(lead)
    first = (lead.score, [r["value"] for r in lead.score_reasons])

    service.record_engagement(session, workspace.id, lead.id, "page_view", url="/pricing")
    score(session, workspace.id, "leads", now=frozen_clock.now())
    session.refresh(lead)

    assert first == (lead.score, [1])
    assert [r["value"] for r in lead.score_reasons] == [2]
