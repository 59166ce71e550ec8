"""Durable jobs: enqueue, claim under a lease, complete or retry, and the worker loop."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import jobs
from dealflow.core.clock import FrozenClock
from dealflow.core.jobs import RetryPolicy, Worker
from dealflow.crm import service
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact, Job

LEASE = timedelta(minutes=5)


def job_row(sessions: sessionmaker[Session], job_id: int | None) -> Job:
    """The job as stored now, read in a fresh session."""
    assert job_id is not None
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


class TestEnqueueAndClaim:
    def test_a_claimed_job_is_leased_to_its_worker_and_completes_once(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        job_id = jobs.enqueue(session, "rescore", {"contact_id": 7})

        [job] = jobs.claim(session, "w1", lease=LEASE)

        assert (job.id, job.payload, job.status, job.attempts) == (
            job_id,
            {"contact_id": 7},
            "running",
            1,
        )
        assert (job.lease_owner, job.lease_expires_at) == ("w1", frozen_clock.now() + LEASE)
        assert jobs.claim(session, "w2") == []
        assert jobs.complete(session, job.id, "w1") is True
        done = session.get(Job, job.id, populate_existing=True)
        assert done is not None
        assert (done.status, done.finished_at, done.lease_owner) == (
            "succeeded",
            frozen_clock.now(),
            None,
        )
        assert jobs.complete(session, job.id, "w1") is False

    def test_an_idempotency_key_enqueued_twice_gives_one_job(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        first = jobs.enqueue(session, "send", {"n": 1}, idempotency_key="send:42")
        second = jobs.enqueue(session, "send", {"n": 2}, idempotency_key="send:42")

        assert first is not None
        assert second is None
        [job] = jobs.claim(session, "w1", limit=10)
        assert (job.id, job.payload) == (first, {"n": 1})

    def test_jobs_without_a_key_are_never_merged(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "send")
        jobs.enqueue(session, "send")

        assert len(jobs.claim(session, "w1", limit=10)) == 2

    def test_a_job_due_later_is_not_claimed_until_the_clock_passes_its_time(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        job_id = jobs.enqueue(session, "follow_up", run_at=frozen_clock.now() + timedelta(hours=1))

        frozen_clock.advance(timedelta(minutes=59, seconds=59))
        assert jobs.claim(session, "w1") == []
        frozen_clock.advance(timedelta(seconds=1))
        assert [job.id for job in jobs.claim(session, "w1")] == [job_id]

    def test_higher_priority_then_earlier_jobs_are_claimed_first(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        now = frozen_clock.now()
        low = jobs.enqueue(session, "k", priority=200, run_at=now - timedelta(hours=1))
        later = jobs.enqueue(session, "k", run_at=now - timedelta(minutes=1))
        earlier = jobs.enqueue(session, "k", run_at=now - timedelta(minutes=2))
        urgent = jobs.enqueue(session, "k", priority=1)

        assert [job.id for job in jobs.claim(session, "w1", limit=1)] == [urgent]
        assert [job.id for job in jobs.claim(session, "w1", limit=10)] == [earlier, later, low]

    def test_a_worker_claims_only_the_kinds_it_asks_for(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "send_email")
        rescore = jobs.enqueue(session, "rescore")

        claimed = jobs.claim(session, "w1", limit=10, kinds=["rescore"])

        assert [job.id for job in claimed] == [rescore]
        assert [job.kind for job in jobs.claim(session, "w2", limit=10)] == ["send_email"]

    def test_a_job_enqueued_in_a_transaction_that_rolls_back_does_not_exist(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(RuntimeError), sessions() as session, session.begin():
            jobs.enqueue(session, "send", idempotency_key="welcome:1")
            raise RuntimeError("the change that caused the job failed")

        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Job)) == 0
        with sessions() as session, session.begin():
            assert jobs.enqueue(session, "send", idempotency_key="welcome:1") is not None


class TestLeases:
    def test_an_expired_lease_lets_another_worker_claim_the_job(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "k")
        [first] = jobs.claim(session, "w1", lease=LEASE)

        frozen_clock.advance(LEASE)
        assert jobs.claim(session, "w2") == []
        frozen_clock.advance(timedelta(seconds=1))
        [again] = jobs.claim(session, "w2", lease=LEASE)

        assert again.id == first.id
        assert (again.lease_owner, again.attempts) == ("w2", 2)
        assert again.lease_expires_at == frozen_clock.now() + LEASE

    def test_the_worker_that_lost_its_lease_can_neither_complete_nor_fail_the_job(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "k")
        [stale] = jobs.claim(session, "w1", lease=LEASE)
        frozen_clock.advance(LEASE + timedelta(seconds=1))
        [current] = jobs.claim(session, "w2", lease=LEASE)

        assert jobs.complete(session, stale.id, "w1") is False
        assert jobs.fail(session, stale, "w1", "late failure") is False
        assert jobs.extend_lease(session, stale.id, "w1", LEASE) is False
        job = session.get(Job, current.id, populate_existing=True)
        assert job is not None
        assert (job.status, job.lease_owner, job.last_error) == ("running", "w2", None)
        assert jobs.complete(session, current.id, "w2") is True

    def test_extending_the_lease_keeps_other_workers_away(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "k")
        [job] = jobs.claim(session, "w1", lease=LEASE)

        frozen_clock.advance(timedelta(minutes=4))
        assert jobs.extend_lease(session, job.id, "w1", LEASE) is True
        frozen_clock.advance(timedelta(minutes=4))

        assert jobs.claim(session, "w2") == []

    def test_a_lease_that_expires_on_the_last_attempt_buries_the_job(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        job_id = jobs.enqueue(session, "k", max_attempts=1)
        jobs.claim(session, "w1", lease=LEASE)
        frozen_clock.advance(LEASE + timedelta(seconds=1))

        assert jobs.claim(session, "w2") == []
        assert jobs.bury_expired(session) == 1
        assert jobs.bury_expired(session) == 0
        job = session.get(Job, job_id, populate_existing=True)
        assert job is not None
        assert (job.status, job.finished_at, job.lease_owner) == (
            "dead",
            frozen_clock.now(),
            None,
        )
        assert job.last_error is not None
        assert "lease expired" in job.last_error

    def test_a_live_lease_is_never_buried(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        jobs.enqueue(session, "k", max_attempts=1)
        jobs.claim(session, "w1", lease=LEASE)
        frozen_clock.advance(LEASE)

        assert jobs.bury_expired(session) == 0


class TestRetries:
    @pytest.mark.parametrize(
        ("attempt", "delay"),
        [
            (1, timedelta(seconds=10)),
            (2, timedelta(seconds=20)),
            (3, timedelta(seconds=40)),
            (20, timedelta(hours=1)),
        ],
    )
    def test_backoff_doubles_per_attempt_up_to_the_cap(
        self, attempt: int, delay: timedelta
    ) -> None:
        assert RetryPolicy(timedelta(seconds=10), timedelta(hours=1)).delay(attempt) == delay

    def test_a_failed_job_is_retried_with_backoff_then_dies_keeping_its_error(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        policy = RetryPolicy(base=timedelta(seconds=10))
        job_id = jobs.enqueue(session, "send", max_attempts=3)
        assert job_id is not None

        for attempt in (1, 2):
            [job] = jobs.claim(session, "w1")
            assert jobs.fail(session, job, "w1", f"SMTP down ({attempt})", policy) is True
            retry = session.get(Job, job_id, populate_existing=True)
            assert retry is not None
            assert (retry.status, retry.attempts, retry.last_error) == (
                "queued",
                attempt,
                f"SMTP down ({attempt})",
            )
            assert retry.run_at == frozen_clock.now() + policy.delay(attempt)
            frozen_clock.advance(policy.delay(attempt) - timedelta(seconds=1))
            assert jobs.claim(session, "w1") == []
            frozen_clock.advance(timedelta(seconds=1))

        [job] = jobs.claim(session, "w1")
        assert jobs.fail(session, job, "w1", "SMTP down (3)", policy) is True

        dead = session.get(Job, job_id, populate_existing=True)
        assert dead is not None
        assert (dead.status, dead.attempts, dead.last_error, dead.finished_at) == (
            "dead",
            3,
            "SMTP down (3)",
            frozen_clock.now(),
        )
        frozen_clock.advance(timedelta(days=1))
        assert jobs.claim(session, "w1") == []

    def test_a_job_reclaimed_after_its_lease_expired_dies_on_its_last_attempt(
        self, session: Session, frozen_clock: FrozenClock
    ) -> None:
        job_id = jobs.enqueue(session, "k", max_attempts=2)
        [first_run] = jobs.claim(session, "w1", lease=LEASE)
        frozen_clock.advance(LEASE + timedelta(seconds=1))
        [job] = jobs.claim(session, "w2", lease=LEASE)

        assert job.attempts == 2
        assert jobs.fail(session, job, "w2", "still broken") is True
        # each claim is a snapshot of the row as that claim leased it
        assert (first_run.lease_owner, job.lease_owner) == ("w1", "w2")

        dead = session.get(Job, job_id, populate_existing=True)
        assert dead is not None
        assert (dead.status, dead.attempts) == ("dead", 2)


class TestWorker:
    @pytest.fixture
    def workspace_id(self, sessions: sessionmaker[Session], frozen_clock: FrozenClock) -> int:
        with sessions() as session, session.begin():
            return ensure_workspace(session, "acme").id

    def test_a_handlers_writes_and_the_jobs_completion_commit_together(
        self, sessions: sessionmaker[Session], workspace_id: int
    ) -> None:
        def create_contact(session: Session, job: Job) -> None:
            service.create_record(session, workspace_id, "contacts", job.payload)

        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "create_contact", {"email": "ada@example.com"})
        assert job_id is not None

        worker = Worker(sessions, {"create_contact": create_contact})
        assert worker.run_pending() == 1

        with sessions() as session:
            assert session.scalars(select(Contact.email)).all() == ["ada@example.com"]
        assert job_row(sessions, job_id).status == "succeeded"
        assert worker.run_pending() == 0

    def test_a_raising_handlers_writes_roll_back_and_the_failure_is_recorded(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        def half_done(session: Session, job: Job) -> None:
            service.create_record(session, workspace_id, "contacts", {"email": "ada@example.com"})
            raise ConnectionError("CRM peer unreachable")

        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "sync", max_attempts=3)
        assert job_id is not None
        policy = RetryPolicy(base=timedelta(seconds=30))

        assert Worker(sessions, {"sync": half_done}, policy=policy).run_pending() == 1

        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Contact)) == 0
        job = job_row(sessions, job_id)
        assert (job.status, job.attempts, job.last_error) == (
            "queued",
            1,
            "ConnectionError: CRM peer unreachable",
        )
        assert job.run_at == frozen_clock.now() + timedelta(seconds=30)

    def test_a_handler_that_outlives_its_lease_commits_nothing(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        def slow(session: Session, job: Job) -> None:
            frozen_clock.advance(LEASE + timedelta(seconds=1))
            with sessions() as other, other.begin():  # another worker takes the job over
                assert [taken.id for taken in jobs.claim(other, "w2")] == [job.id]
            service.create_record(session, workspace_id, "contacts", {"email": "ada@example.com"})

        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "slow")
        assert job_id is not None

        assert Worker(sessions, {"slow": slow}, name="w1", lease=LEASE).run_pending() == 1

        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Contact)) == 0
        job = job_row(sessions, job_id)
        assert (job.status, job.lease_owner, job.last_error) == ("running", "w2", None)

    def test_a_worker_leaves_kinds_it_has_no_handler_for(
        self, sessions: sessionmaker[Session], workspace_id: int
    ) -> None:
        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "send_email")
        assert job_id is not None

        assert Worker(sessions, {"rescore": lambda session, job: None}).run_pending() == 0
        assert job_row(sessions, job_id).status == "queued"

    def test_run_pending_stops_at_its_limit(
        self, sessions: sessionmaker[Session], workspace_id: int
    ) -> None:
        with sessions() as session, session.begin():
            for _ in range(3):
                jobs.enqueue(session, "k")
        worker = Worker(sessions, {"k": lambda session, job: None})

        assert worker.run_pending(limit=2) == 2
        assert worker.run_pending(limit=2) == 1

    def test_the_worker_buries_a_job_whose_last_lease_expired(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "k", max_attempts=1)
            jobs.claim(session, "crashed-worker", lease=LEASE)
        frozen_clock.advance(LEASE + timedelta(seconds=1))

        assert Worker(sessions, {"k": lambda session, job: None}).run_pending() == 0
        assert job_row(sessions, job_id).status == "dead"

    def test_a_failing_job_in_a_batch_retries_while_the_others_complete(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        def create_contact(session: Session, job: Job) -> None:
            service.create_record(session, workspace_id, "contacts", job.payload)
            if job.payload["email"].startswith("bad"):
                raise ConnectionError("CRM peer unreachable")

        with sessions() as session, session.begin():
            ids = [
                jobs.enqueue(session, "create_contact", {"email": f"{who}@example.com"})
                for who in ("ada", "bad", "cy")
            ]
        worker = Worker(sessions, {"create_contact": create_contact}, batch=10)

        assert worker.run_pending() == 3

        with sessions() as session:
            emails = session.scalars(select(Contact.email).order_by(Contact.email)).all()
        assert emails == ["ada@example.com", "cy@example.com"]
        statuses = [(job_row(sessions, i).status, job_row(sessions, i).last_error) for i in ids]
        assert statuses == [
            ("succeeded", None),
            ("queued", "ConnectionError: CRM peer unreachable"),
            ("succeeded", None),
        ]
        frozen_clock.advance(timedelta(minutes=1))
        assert worker.run_pending() == 1  # only the failed one comes back
        assert (job_row(sessions, ids[1]).status, job_row(sessions, ids[1]).attempts) == (
            "queued",
            2,
        )

    def test_a_job_with_an_outside_effect_commits_before_the_next_job_runs(
        self, sessions: sessionmaker[Session], workspace_id: int
    ) -> None:
        seen: list[str] = []

        def call_out(session: Session, job: Job) -> None:
            jobs.mark_external_effect(session)

        def look(session: Session, job: Job) -> None:
            seen.append(job_row(sessions, job.payload["after"]).status)

        with sessions() as session, session.begin():
            first = jobs.enqueue(session, "call_out")
            jobs.enqueue(session, "look", {"after": first})

        assert Worker(sessions, {"call_out": call_out, "look": look}).run_pending() == 2
        assert seen == ["succeeded"]

    def test_a_job_whose_lease_is_lost_in_a_batch_leaves_the_others_complete(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        def create_contact(session: Session, job: Job) -> None:
            if job.payload["email"] == "slow@example.com":
                frozen_clock.advance(LEASE + timedelta(seconds=1))
                with sessions() as other, other.begin():  # another worker takes it over
                    assert [taken.id for taken in jobs.claim(other, "w2")] == [job.id]
            service.create_record(session, workspace_id, "contacts", job.payload)

        with sessions() as session, session.begin():
            slow = jobs.enqueue(session, "create_contact", {"email": "slow@example.com"})
            fast = jobs.enqueue(session, "create_contact", {"email": "fast@example.com"})

        worker = Worker(sessions, {"create_contact": create_contact}, name="w1", lease=LEASE)
        assert worker.run_pending() == 2

        with sessions() as session:
            assert session.scalars(select(Contact.email)).all() == ["fast@example.com"]
        assert (job_row(sessions, slow).status, job_row(sessions, slow).lease_owner) == (
            "running",
            "w2",
        )
        assert job_row(sessions, fast).status == "succeeded"

    def test_the_jobs_of_a_worker_that_died_mid_batch_run_again(
        self, sessions: sessionmaker[Session], workspace_id: int, frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            for _ in range(3):
                jobs.enqueue(session, "k")
            jobs.claim(session, "crashed-worker", limit=3, lease=LEASE)
        frozen_clock.advance(LEASE + timedelta(seconds=1))
        worker = Worker(sessions, {"k": lambda session, job: None}, lease=LEASE)

        assert [worker.run_pending(limit=100) for _ in range(2)] == [3, 0]
        with sessions() as session:
            rows = session.scalars(select(Job.status).where(Job.attempts == 2)).all()
        assert rows == ["succeeded"] * 3

    def test_workers_get_distinct_names_so_their_leases_stay_fenced(
        self, sessions: sessionmaker[Session]
    ) -> None:
        handlers = {"k": lambda session, job: None}

        assert Worker(sessions, handlers).name != Worker(sessions, handlers).name


@pytest.mark.postgres
class TestConcurrentClaims:
    def test_a_row_locked_by_one_claim_is_skipped_by_another(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            first = jobs.enqueue(session, "k")
            second = jobs.enqueue(session, "k")

        with sessions() as one, one.begin(), sessions() as two, two.begin():
            two.execute(text("SET LOCAL lock_timeout = '2s'"))  # fail, not hang, if it waits
            claimed_by_one = [job.id for job in jobs.claim(one, "w1")]
            claimed_by_two = [job.id for job in jobs.claim(two, "w2")]

        assert claimed_by_one == [first]
        assert claimed_by_two == [second]

    def test_many_workers_claim_every_job_exactly_once(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            expected = {jobs.enqueue(session, "k", {"n": n}) for n in range(200)}
        workers = 6
        start = threading.Barrier(workers)
        claimed: list[int] = []
        batch_sizes: list[int] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def work(name: str) -> None:
            try:
                start.wait()
                while True:
                    with sessions() as session, session.begin():
                        batch = [job.id for job in jobs.claim(session, name, limit=5)]
                    if not batch:
                        return
                    with lock:
                        claimed.extend(batch)
                        batch_sizes.append(len(batch))
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert errors == []
        assert Counter(claimed).most_common(1)[0][1] == 1
        assert set(claimed) == expected
        assert max(batch_sizes) <= 5


class TestBackgroundWorker:
    def test_a_worker_with_no_handlers_takes_no_job(self, sessions: sessionmaker[Session]) -> None:
        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "send_email")

        assert Worker(sessions, {}).run_pending() == 0
        assert job_row(sessions, job_id).status == "queued"

    def test_run_until_runs_jobs_in_the_background_until_stopped(
        self, sessions: sessionmaker[Session]
    ) -> None:
        done = threading.Event()
        with sessions() as session, session.begin():
            job_id = jobs.enqueue(session, "ping")
        worker = Worker(sessions, {"ping": lambda session, job: done.set()})
        stop = threading.Event()
        thread = threading.Thread(target=worker.run_until, args=(stop, 0.05))

        thread.start()
        try:
            assert done.wait(timeout=10)
        finally:
            stop.set()
            thread.join(timeout=10)

        assert not thread.is_alive()
        assert job_row(sessions, job_id).status == "succeeded"

    def test_periodic_steps_queue_work_each_pass_and_survive_a_failure(
        self, sessions: sessionmaker[Session]
    ) -> None:
        passes: list[int] = []
        pinged = threading.Event()

        def queue_a_ping_on_the_second_pass(step_sessions: sessionmaker[Session]) -> None:
            passes.append(len(passes) + 1)
            if len(passes) == 1:
                raise RuntimeError("database went away")
            if len(passes) == 2:
                with step_sessions() as session, session.begin():
                    jobs.enqueue(session, "ping")

        worker = Worker(
            sessions,
            {"ping": lambda session, job: pinged.set()},
            periodic=[queue_a_ping_on_the_second_pass],
        )
        stop = threading.Event()
        thread = threading.Thread(target=worker.run_until, args=(stop, 0.05))

        thread.start()
        try:
            assert pinged.wait(timeout=10)
        finally:
            stop.set()
            thread.join(timeout=10)

        assert not thread.is_alive()
        assert passes[:2] == [1, 2]
