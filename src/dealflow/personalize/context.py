"""The context of a draft: the CRM facts about a contact (and a deal), each with the record
and field it came from. A draft may state these as fact and nothing else.

Facts come from *fact sources*, small plug-ins in ``FACT_SOURCES``: the CRM ones live in
``personalize.sources``; research findings (the prospecting agent) register as one more.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import NotFoundError
from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import Company, Contact, Deal, User, Workspace


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
        data = asdict(self)
        data["at"] = self.at.isoformat() if self.at else None
        return data

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
    repository = WorkspaceRepository(session, workspace_id)
    contact = repository.get(Contact, contact_id)
    company = repository.find(Company, contact.company_id) if contact.company_id else None
    deal = repository.get(Deal, deal_id) if deal_id is not None else None
    sender = repository.find(User, contact.owner_id) if contact.owner_id else None
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFoundError(f"workspace #{workspace_id} not found")
    return Subject(workspace, contact, company, deal, sender, clock.now())
