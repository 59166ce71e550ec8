"""The context of a draft: the CRM facts about a contact (and a deal), each with the record
and field it came from. A draft may state these as fact and nothing else.

Facts come from *fact sources*, small plug-ins in ``FACT_SOURCES``: the CRM ones live in
``personalize.sources``; research findings (the prospecting agent) register as one more.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import NotFoundError
from dealflow.models import Company, Contact, Deal, User, Workspace
from dealflow.models.base import WorkspaceMixin

Record = TypeVar("Record", bound=WorkspaceMixin)


@dataclass(frozen=True)
class Fact:
    """One statement a draft may make, and where it came from (object, id, field)."""

    key: str
    """What the fact is about, like ``company.name`` or ``ticket.subject``."""
    value: str
    object: str
    record_id: int | None
    field: str
    detail: str | None = None
    """A second value bound to the first (a date, a URL), also stateable."""
    at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fact as stored with a draft (JSON)."""
        return {
            "key": self.key,
            "value": self.value,
            "object": self.object,
            "record_id": self.record_id,
            "field": self.field,
            "detail": self.detail,
            "at": self.at.isoformat() if self.at else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        """A fact read back from a stored draft."""
        at = data.get("at")
        return cls(
            key=data["key"],
            value=data["value"],
            object=data["object"],
            record_id=data.get("record_id"),
            field=data["field"],
            detail=data.get("detail"),
            at=datetime.fromisoformat(at) if at else None,
        )

    def source(self) -> str:
        """Where the fact came from, as a person reads it: ``contacts #12 job_title``."""
        where = f"{self.object} #{self.record_id}" if self.record_id is not None else self.object
        return f"{where} {self.field}"


@dataclass
class Subject:
    """What a context is built for: the contact, their company, a deal, the sender."""

    workspace: Workspace
    contact: Contact
    company: Company | None
    deal: Deal | None
    sender: User | None
    as_of: datetime


class FactSource(Protocol):
    """A plug-in that reads facts about a subject (CRM records, research findings...)."""

    name: str

    def facts(self, session: Session, subject: Subject) -> list[Fact]: ...


FACT_SOURCES: dict[str, FactSource] = {}


def register_fact_source(source: FactSource) -> FactSource:
    """Add ``source`` to every context built from now on (under ``source.name``)."""
    FACT_SOURCES[source.name] = source
    return source


@dataclass
class Context:
    """The facts of one subject, in source order (``subject`` is None for a context made
    of facts alone, as in the grounding evaluation)."""

    subject: Subject | None
    facts: list[Fact] = field(default_factory=list)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def first(self, key: str) -> Fact | None:
        """The first fact named ``key`` (None when the CRM does not know it)."""
        return next((fact for fact in self.facts if fact.key == key), None)

    def value(self, key: str) -> str | None:
        """The value of the first fact named ``key``."""
        found = self.first(key)
        return found.value if found else None

    def all(self, key: str) -> list[Fact]:
        """Every fact named ``key``."""
        return [fact for fact in self.facts if fact.key == key]

    @property
    def language(self) -> str:
        """The language to write in: the contact's, when Dealflow writes it, else English."""
        return language_of(self.value("contact.language"))


LANGUAGES = ("en", "ja", "ko", "fa")


def language_of(code: str | None) -> str:
    """One of the draft languages for a language code (``ja-JP`` is ``ja``); English else."""
    base = (code or "en").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else "en"


def subject_for(
    session: Session, workspace_id: int, contact_id: int, deal_id: int | None = None
) -> Subject:
    """The contact (and deal) a context is about; NotFoundError when one does not exist."""
    contact = _own(session, Contact, workspace_id, contact_id)
    if contact is None:
        raise NotFoundError(f"contacts #{contact_id} not found in this workspace")
    deal = _own(session, Deal, workspace_id, deal_id)
    if deal_id is not None and deal is None:
        raise NotFoundError(f"deals #{deal_id} not found in this workspace")
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFoundError(f"workspace #{workspace_id} not found")
    company = _own(session, Company, workspace_id, contact.company_id)
    sender = _own(session, User, workspace_id, contact.owner_id)
    return Subject(workspace, contact, company, deal, sender, clock.now())


def _own(
    session: Session, model: type[Record], workspace_id: int, record_id: int | None
) -> Record | None:
    """A record of the workspace by id (from the session's identity map when loaded)."""
    if record_id is None:
        return None
    record = session.get(model, record_id)
    return record if record is not None and record.workspace_id == workspace_id else None
