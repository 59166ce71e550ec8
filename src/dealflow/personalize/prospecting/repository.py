"""Every query of research runs and findings, always within one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.models import Company, Contact, ResearchFinding, ResearchRun

KEPT_RUNS = 5
"""Runs kept per company: the current one and the four before it (with their findings)."""


def current_run(session: Session, workspace_id: int, company_id: int) -> ResearchRun | None:
    return session.scalars(
        select(ResearchRun).where(
            ResearchRun.workspace_id == workspace_id,
            ResearchRun.company_id == company_id,
            ResearchRun.is_current,
        )
    ).one_or_none()


def runs_of(session: Session, workspace_id: int, company_id: int) -> Sequence[ResearchRun]:
    """The company's kept runs, newest first."""
    return session.scalars(
        select(ResearchRun)
        .where(ResearchRun.workspace_id == workspace_id, ResearchRun.company_id == company_id)
        .order_by(ResearchRun.started_at.desc(), ResearchRun.id.desc())
    ).all()


def findings_of_run(session: Session, workspace_id: int, run_id: int) -> Sequence[ResearchFinding]:
    return session.scalars(
        select(ResearchFinding)
        .where(ResearchFinding.workspace_id == workspace_id, ResearchFinding.run_id == run_id)
        .order_by(ResearchFinding.position)
    ).all()


def retire_runs(session: Session, workspace_id: int, company_id: int) -> None:
    """Mark the company's runs as history (a new one is about to become current)."""
    session.execute(
        update(ResearchRun)
        .where(ResearchRun.workspace_id == workspace_id, ResearchRun.company_id == company_id)
        .values(is_current=False)
    )


def prune_runs(session: Session, workspace_id: int, company_id: int) -> None:
    """Forget runs (and their findings) older than the ``KEPT_RUNS`` newest."""
    old = [run.id for run in runs_of(session, workspace_id, company_id)[KEPT_RUNS:]]
    if old:
        session.execute(delete(ResearchFinding).where(ResearchFinding.run_id.in_(old)))
        session.execute(delete(ResearchRun).where(ResearchRun.id.in_(old)))


def find_company(session: Session, workspace_id: int, given: str) -> Company:
    """The company ``given`` names: its id, its domain or its name (NotFoundError, or
    InvalidInputError naming the candidates when a name is shared)."""
    text = given.strip()
    in_workspace = Company.workspace_id == workspace_id
    if text.isdigit():
        found = session.scalars(
            select(Company).where(in_workspace, Company.id == int(text))
        ).one_or_none()
        if found is not None:
            return found
    matches = session.scalars(
        select(Company)
        .where(
            in_workspace,
            or_(
                func.lower(Company.domain) == text.lower(),
                func.lower(Company.name) == text.lower(),
            ),
        )
        .order_by(Company.id)
        .limit(6)
    ).all()
    if not matches:
        raise NotFoundError(f"no company {given!r} (by id, domain or name) in this workspace")
    if len(matches) > 1:
        names = ", ".join(f"#{company.id} {company.name}" for company in matches[:5])
        raise InvalidInputError(f"{given!r} names several companies ({names}): give the id")
    return matches[0]


def find_contact(session: Session, workspace_id: int, email: str) -> Contact:
    """The contact with ``email`` (NotFoundError when there is none)."""
    contact = session.scalars(
        select(Contact).where(
            Contact.workspace_id == workspace_id,
            func.lower(Contact.email) == email.strip().lower(),
        )
    ).first()
    if contact is None:
        raise NotFoundError(f"no contact with email {email!r} in this workspace")
    return contact
