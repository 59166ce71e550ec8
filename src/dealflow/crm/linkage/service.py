"""Duplicate contacts and companies of a workspace, grouped into clusters."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.crm.linkage.clusters import DuplicateCluster, clusters_from_pairs
from dealflow.crm.linkage.crm_tables import record_table
from dealflow.crm.linkage.exact import shared_key_pairs
from dealflow.crm.linkage.keys import domain_key, email_key


def duplicate_clusters(
    session: Session, workspace_id: int, object_type: str
) -> list[DuplicateCluster]:
    """Groups of ``object_type`` ("contacts" or "companies") records that are one entity,
    largest and surest first. Records sharing a normalised email (contacts) or domain
    (companies) are paired with probability 1.0."""
    table = record_table(session, workspace_id, object_type)
    if object_type == "contacts":
        pairs = shared_key_pairs(table, ["email"], email_key, "email")
    else:
        pairs = shared_key_pairs(table, ["domain", "website"], domain_key, "domain")
    return clusters_from_pairs(pairs)
