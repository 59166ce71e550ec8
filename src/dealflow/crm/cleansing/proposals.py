"""What the cleansing agent proposes: merges of duplicate groups and cleaner values, each
with how sure it is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.cleansing import normalise
from dealflow.crm.cleansing.countries import read_country
from dealflow.crm.cleansing.vocabulary import spelling_fix
from dealflow.crm.linkage.crm_tables import WEBSITE_PROPERTIES
from dealflow.crm.quality.duplicates import DuplicateGroup, duplicate_groups
from dealflow.models import Company, Contact, Workspace


@dataclass(frozen=True)
class Proposal:
    """One change the agent would make."""

    kind: str  # "merge" or "normalise"
    object_type: str
    record_id: int
    confidence: float
    reason: str
    property: str | None = None
    old: Any = None
    new: Any = None
    details: dict[str, Any] = field(default_factory=dict)


def propose(
    session: Session,
    workspace: Workspace,
    groups: Mapping[str, Sequence[DuplicateGroup]] | None = None,
) -> list[Proposal]:
    """Merges first (largest, surest groups first), then value fixes, most certain first.
    ``groups`` are the duplicates a diagnosis just found (found again when not given)."""
    merges = [
        Proposal(
            "merge",
            group.object_type,
            group.record_ids[0],
            round(group.confidence, 3),
            f"{len(group.record_ids)} {group.object_type} are one: {group.reason}",
            details={"record_ids": list(group.record_ids), "rule": _rule(group.object_type)},
        )
        for object_type in ("companies", "contacts", "products")
        for group in (
            groups[object_type]
            if groups is not None and object_type in groups
            else duplicate_groups(session, workspace.id, object_type)
        )
    ]
    fixes = [*_contact_fixes(session, workspace), *_company_fixes(session, workspace)]
    return merges + sorted(fixes, key=lambda p: (-p.confidence, p.object_type, p.record_id))


def _country_fix(object_type: str, record_id: int, raw: str | None) -> Proposal | None:
    """The record's country as its ISO code, when the stored text names one."""
    country = read_country(raw)
    if not country:
        return None
    reason = "country as its ISO code" if country.confidence == 1 else "misspelt country name"
    confidence = 0.98 * country.confidence
    return _fix(object_type, record_id, "country", raw, country.code, confidence, reason)


def _fix(
    object_type: str, record_id: int, prop: str, old: Any, new: Any, confidence: float, reason: str
) -> Proposal | None:
    if new is None or new == old:
        return None
    return Proposal("normalise", object_type, record_id, confidence, reason, prop, old, new)


def _contact_fixes(session: Session, workspace: Workspace) -> list[Proposal]:
    rows = session.execute(
        select(Contact.id, Contact.email, Contact.phone, Contact.country).where(
            Contact.workspace_id == workspace.id
        )
    ).all()
    taken = {r.email for r in rows if r.email}
    out: list[Proposal | None] = []
    for row in rows:
        if row.email:
            email = normalise.email(row.email)
            if email not in taken:  # a clash is a duplicate: the merge handles it
                out.append(
                    _fix(
                        "contacts",
                        row.id,
                        "email",
                        row.email,
                        email,
                        0.99,
                        "email in lower case, no spaces",
                    )
                )
        out.append(_country_fix("contacts", row.id, row.country))
        if row.phone:
            country = read_country(row.country)
            region = workspace.phone_region or (country.code if country else None)
            out.append(
                _fix(
                    "contacts",
                    row.id,
                    "phone",
                    row.phone,
                    normalise.phone(row.phone, region),
                    0.96,
                    "phone in E.164",
                )
            )
    return [p for p in out if p is not None]


def _company_fixes(session: Session, workspace: Workspace) -> list[Proposal]:
    rows = session.execute(
        select(
            Company.id,
            Company.name,
            Company.domain,
            Company.country,
            Company.industry,
            Company.properties,
        ).where(Company.workspace_id == workspace.id)
    ).all()
    taken = {r.domain for r in rows if r.domain}
    out: list[Proposal | None] = []
    for row in rows:
        name = normalise.company_name(row.name)
        if name and name != row.name:
            tidy = normalise.text(row.name)
            only_case = name.casefold() == (tidy or "").casefold().strip(" .,")
            out.append(
                _fix(
                    "companies",
                    row.id,
                    "name",
                    row.name,
                    name,
                    0.9 if only_case else 0.6,
                    "name tidied" if only_case else "legal form left out of the name",
                )
            )
        website = next(
            (row.properties.get(k) for k in WEBSITE_PROPERTIES if (row.properties or {}).get(k)),
            None,
        )
        source = row.domain or website
        domain = normalise.domain(source) if isinstance(source, str) else None
        if domain and domain not in taken - {row.domain}:
            out.append(_fix("companies", row.id, "domain", row.domain, domain, 0.95, "bare domain"))
        out.append(_country_fix("companies", row.id, row.country))
        if row.industry:
            fix = spelling_fix("industry", row.industry)
            out.append(
                _fix("companies", row.id, "industry", row.industry, fix, 0.8, "misspelt industry")
            )
    return [p for p in out if p is not None]


def _rule(object_type: str) -> str:
    """People and companies change (the latest value is the truth); a product's catalogue
    entry is the fullest one."""
    return "most_complete" if object_type == "products" else "most_recent"
