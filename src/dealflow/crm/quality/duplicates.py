"""Duplicate records: contacts and companies by record linkage (``crm.linkage``), products
by names that differ only in spacing, case or punctuation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.cleansing.vocabulary import variant_key
from dealflow.crm.linkage import duplicate_clusters
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
    return [
        DuplicateGroup(
            object_type, c.record_ids, c.confidence, c.pairs[0].reason if c.pairs else ""
        )
        for c in duplicate_clusters(session, workspace_id, object_type)
    ]


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
