"""Duplicate records: contacts and companies by record linkage (``crm.linkage``), products
by names that differ only in spacing, case or punctuation.

The model's pairs are kept only when nothing a person would trust contradicts them: two
contacts are one person when they share a mailbox, or have the same name and no different
phone; two companies are one when they share a domain, or have the same name and no
different domain. Shared keys alone (probability 1.0) are kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.cleansing.vocabulary import variant_key
from dealflow.crm.linkage import ScoredPair, duplicate_clusters
from dealflow.crm.linkage.clusters import clusters_from_pairs
from dealflow.crm.linkage.crm_tables import record_table
from dealflow.crm.linkage.keys import domain_key, email_key
from dealflow.crm.linkage.normalise import entity_name, person_name, phone
from dealflow.models import Product


@dataclass(frozen=True)
class DuplicateGroup:
    """Records of one object type that are one entity, and how sure that is."""

    object_type: str
    record_ids: tuple[int, ...]
    confidence: float
    reason: str


def duplicate_groups(session: Session, workspace_id: int, object_type: str) -> list[DuplicateGroup]:
    """The groups of ``object_type`` (contacts, companies or products), largest first."""
    if object_type == "products":
        return _product_groups(session, workspace_id)
    clusters = duplicate_clusters(session, workspace_id, object_type)
    pairs = [pair for cluster in clusters for pair in cluster.pairs]
    if not pairs:
        return []
    table = record_table(session, workspace_id, object_type).set_index("id")
    plausible = _contacts_agree if object_type == "contacts" else _companies_agree
    kept = [p for p in pairs if p.match_probability >= 1.0 or plausible(table, p)]
    return [
        DuplicateGroup(object_type, c.record_ids, c.confidence, c.pairs[0].reason)
        for c in clusters_from_pairs(kept)
    ]


def _value(
    table: pd.DataFrame, record_id: int, column: str, clean: Callable[[Any], str | None]
) -> str | None:
    raw = table.at[record_id, column] if record_id in table.index else None
    return clean(raw) if isinstance(raw, str) else None


def _differ(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _contacts_agree(table: pd.DataFrame, pair: ScoredPair) -> bool:
    a, b = pair.id_a, pair.id_b
    if _value(table, a, "email", email_key) == _value(table, b, "email", email_key) is not None:
        return True
    names = [
        " ".join(
            filter(
                None,
                (
                    _value(table, i, "first_name", person_name),
                    _value(table, i, "last_name", person_name),
                ),
            )
        )
        for i in (a, b)
    ]
    same_name = bool(names[0]) and names[0] == names[1]
    return same_name and not _differ(
        _value(table, a, "phone", phone), _value(table, b, "phone", phone)
    )


def _companies_agree(table: pd.DataFrame, pair: ScoredPair) -> bool:
    a, b = pair.id_a, pair.id_b
    domains = [
        _value(table, i, "domain", domain_key) or _value(table, i, "website", domain_key)
        for i in (a, b)
    ]
    if domains[0] is not None and domains[0] == domains[1]:
        return True
    same_name = (
        _value(table, a, "name", entity_name) == _value(table, b, "name", entity_name) is not None
    )
    return same_name and not _differ(domains[0], domains[1])


def _product_groups(session: Session, workspace_id: int) -> list[DuplicateGroup]:
    groups: dict[str, list[int]] = {}
    names: dict[int, str] = {}
    rows = session.execute(
        select(Product.id, Product.name)
        .where(Product.workspace_id == workspace_id)
        .order_by(Product.id)
    )
    for product_id, name in rows:
        groups.setdefault(variant_key(name), []).append(int(product_id))
        names[int(product_id)] = name
    return [
        DuplicateGroup("products", tuple(ids), 0.9, " = ".join(repr(names[i]) for i in ids))
        for ids in groups.values()
        if len(ids) > 1
    ]
