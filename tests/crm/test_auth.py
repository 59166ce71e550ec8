"""Signing in, sessions, failed-login slowdown, API tokens and user administration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.core.errors import (
    ConflictError,
    InvalidInputError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from dealflow.crm import auth, tokens, users
from dealflow.crm.access import principal_for
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import ApiToken, AuditEntry, LoginAttempt, User, UserSession, Workspace

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(session: Session, workspace: Workspace, frozen_clock: FrozenClock) -> User:
    return users.add_user(
        session, workspace.id, "Alice@Example.com", name="Alice", role="admin", password=PASSWORD
    )


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


class TestSignIn:
    def test_right_password_starts_a_session_that_resolves_to_the_user(
        self, session: Session, alice: User
    ) -> None:
        signed_in = auth.sign_in(session, "alice@example.com", PASSWORD, address="127.0.0.1")

        assert signed_in is not None and signed_in.user is alice
        assert auth.resolve_session(session, signed_in.token) is alice
        stored = session.scalars(select(UserSession.token_hash)).one()
        assert signed_in.token not in stored  # only the hash is kept
        assert actions(session)[-1] == "sign_in"

    def test_wrong_password_or_unknown_email_signs_nobody_in_and_is_recorded(
        self, session: Session, alice: User
    ) -> None:
        assert auth.sign_in(session, "alice@example.com", "wrong password!") is None
        assert auth.sign_in(session, "nobody@example.com", PASSWORD) is None

        attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [(a.email, a.succeeded) for a in attempts] == [
            ("alice@example.com", False),
            ("nobody@example.com", False),
        ]
        assert actions(session)[-1] == "sign_in_failed"

    def test_passwords_are_argon2_hashes_and_short_ones_are_refused(
        self, session: Session, alice: User
    ) -> None:
        assert alice.password_hash is not None and alice.password_hash.startswith("$argon2id$")
        with pytest.raises(InvalidInputError, match="at least 10 characters"):
            auth.hash_password("short")

    def test_repeated_failures_make_the_next_try_wait_longer_each_time(
        self, session: Session, alice: User, frozen_clock: FrozenClock
    ) -> None:
        for _ in range(auth.FREE_FAILURES):
            assert auth.sign_in(session, "alice@example.com", "guess guess guess") is None

        with pytest.raises(TooManyAttemptsError, match="try again in 31 seconds") as refused:
            auth.sign_in(session, "alice@example.com", PASSWORD)
        assert refused.value.retry_after == 31

        frozen_clock.advance(timedelta(seconds=31))
        assert auth.sign_in(session, "alice@example.com", "still guessing!") is None
        with pytest.raises(TooManyAttemptsError, match="try again in 61 seconds"):
            auth.sign_in(session, "alice@example.com", PASSWORD)

        frozen_clock.advance(timedelta(seconds=61))
        assert auth.sign_in(session, "alice@example.com", PASSWORD) is not None
        # A success clears the slate.
        assert auth.sign_in(session, "alice@example.com", "one more typo") is None

    def test_one_address_guessing_many_emails_is_slowed_down_too(
        self, session: Session, alice: User
    ) -> None:
        for n in range(auth.FREE_FAILURES_PER_ADDRESS):
            auth.sign_in(session, f"user{n}@example.com", "guess guess", address="10.0.0.9")

        with pytest.raises(TooManyAttemptsError):
            auth.sign_in(session, "alice@example.com", PASSWORD, address="10.0.0.9")
        assert auth.sign_in(session, "alice@example.com", PASSWORD, address="10.0.0.1")

    def test_the_same_email_in_two_workspaces_needs_the_workspace_named(
        self, session: Session, alice: User
    ) -> None:
        other = ensure_workspace(session, "globex")
        users.add_user(session, other.id, "alice@example.com", name="Alice G", password=PASSWORD)

        assert auth.sign_in(session, "alice@example.com", PASSWORD) is None
        signed_in = auth.sign_in(session, "alice@example.com", PASSWORD, workspace_slug="globex")
        assert signed_in is not None and signed_in.user.workspace_id == other.id


class TestSessions:
    def test_sessions_expire_and_sign_out_ends_them(
        self, session: Session, alice: User, frozen_clock: FrozenClock
    ) -> None:
        first, second = auth.create_session(session, alice), auth.create_session(session, alice)

        auth.sign_out(session, first)
        assert auth.resolve_session(session, first) is None
        assert auth.resolve_session(session, second) is alice
        frozen_clock.advance(auth.SESSION_LIFETIME + timedelta(seconds=1))
        assert auth.resolve_session(session, second) is None

    def test_a_new_password_ends_every_session(self, session: Session, alice: User) -> None:
        token = auth.create_session(session, alice)

        auth.set_password(session, alice, "a brand new password", actor_id=alice.id)

        assert auth.resolve_session(session, token) is None
        assert auth.sign_in(session, "alice@example.com", "a brand new password") is not None

    def test_a_deactivated_user_is_signed_out(self, session: Session, alice: User) -> None:
        token = auth.create_session(session, alice)
        alice.is_active = False

        assert auth.resolve_session(session, token) is None
        assert auth.sign_in(session, "alice@example.com", PASSWORD) is None


class TestApiTokens:
    def test_a_token_is_shown_once_stored_hashed_and_revocable(
        self, session: Session, alice: User
    ) -> None:
        made = tokens.create_token(session, principal_for(alice), "reporting script")

        assert made.secret.startswith("dft_") and made.token.prefix == made.secret[:10]
        assert made.secret not in session.scalars(select(ApiToken.token_hash)).one()
        holder = tokens.token_holder(session, made.secret)
        assert holder is not None and holder.principal == principal_for(alice)
        assert holder.use_to_record(now())
        tokens.record_token_use(session, holder.token_id, now())
        session.refresh(made.token)
        assert made.token.last_used_at is not None
        assert not tokens.token_holder(session, made.secret).use_to_record(now())  # type: ignore[union-attr]

        tokens.revoke_token(session, principal_for(alice), made.token.id)

        assert tokens.token_holder(session, made.secret) is None
        assert actions(session)[-2:] == ["token_created", "token_revoked"]

    def test_a_rep_cannot_revoke_someone_elses_token(
        self, session: Session, workspace: Workspace, alice: User
    ) -> None:
        made = tokens.create_token(session, principal_for(alice), "mine")
        rep = users.add_user(session, workspace.id, "rep@example.com", name="Rep")

        with pytest.raises(Exception, match="not found"):
            tokens.revoke_token(session, principal_for(rep), made.token.id)


class TestUsers:
    def test_an_admin_changes_a_role_and_it_is_audited(
        self, session: Session, workspace: Workspace, alice: User
    ) -> None:
        rep = users.add_user(
            session, workspace.id, "rep@example.com", name="Rep", password=PASSWORD
        )
        token = auth.create_session(session, rep)

        users.change_role(session, principal_for(alice), rep.id, role="manager", team_id=None)

        assert rep.role == "manager"
        assert auth.resolve_session(session, token) is None  # signs in again with new rights
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "role_changed")).one()
        assert entry.details["from"]["role"] == "rep" and entry.details["to"]["role"] == "manager"

    def test_only_admins_change_roles(
        self, session: Session, workspace: Workspace, alice: User
    ) -> None:
        rep = users.add_user(session, workspace.id, "rep@example.com", name="Rep")
        with pytest.raises(PermissionDeniedError, match="only an admin"):
            users.change_role(session, principal_for(rep), alice.id, role="rep", team_id=None)

    def test_bad_input_names_the_field(
        self, session: Session, workspace: Workspace, alice: User
    ) -> None:
        with pytest.raises(ConflictError, match="already exists"):
            users.add_user(session, workspace.id, "ALICE@example.com", name="Again")
        with pytest.raises(InvalidInputError, match="role 'boss'"):
            users.add_user(session, workspace.id, "b@example.com", name="B", role="boss")
        with pytest.raises(InvalidInputError, match="email"):
            users.add_user(session, workspace.id, "not-an-email", name="C")
        with pytest.raises(InvalidInputError, match="language 'de'"):
            users.set_locale(session, principal_for(alice), "de")

    def test_the_screen_language_follows_the_choice_then_the_users_language(
        self, session: Session, workspace: Workspace, alice: User
    ) -> None:
        alice.language = "ja"
        assert users.locale_of(alice) == "ja"
        users.set_locale(session, principal_for(alice), "fa")
        assert users.locale_of(alice) == "fa"
