"""Duplicate contacts and companies of a workspace, grouped into clusters."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealflow.crm.linkage.clusters import DuplicateCluster, ScoredPair, clusters_from_pairs
from dealflow.crm.linkage.crm_tables import record_table
from dealflow.crm.linkage.engine import Linkage, LinkageOptions, link_table
from dealflow.crm.linkage.exact import shared_key_pairs
from dealflow.crm.linkage.keys import domain_key, email_key

MIN_RECORDS_FOR_MODEL = 50
"""Below this many records there is too little data to learn a model from; only strong
keys are used."""
CRM_ROLES = {
    "contacts": {
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "phone": "phone",
        "job_title": "ignore",
        "company": "name",
        "city": "city",
        "country": "category",
    },
    "companies": {
        "name": "name",
        "domain": "website",
        "website": "website",
        "phone": "phone",
        "address": "address",
        "postcode": "postcode",
        "city": "city",
        "country": "category",
    },
}


def duplicate_clusters(
    session: Session,
    workspace_id: int,
    object_type: str,
    options: LinkageOptions | None = None,
) -> list[DuplicateCluster]:
    """Groups of ``object_type`` ("contacts" or "companies") records that are one entity,
    largest and surest first. Records sharing a normalised email (contacts) or domain
    (companies) are paired with probability 1.0; the others by a model learned from the
    workspace's own records (once it has MIN_RECORDS_FOR_MODEL of them)."""
    table = record_table(session, workspace_id, object_type)
    if object_type == "contacts":
        pairs = shared_key_pairs(table, ["email"], email_key, "email")
    else:
        pairs = shared_key_pairs(table, ["domain", "website"], domain_key, "domain")
    if len(table) >= MIN_RECORDS_FOR_MODEL:
        filled = table.dropna(axis=1, how="all")  # a property nobody keeps compares nothing
        roles = {c: r for c, r in CRM_ROLES[object_type].items() if c in filled.columns}
        pairs += _linked_pairs(link_table(filled, "id", options or LinkageOptions(roles=roles)))
    return clusters_from_pairs(pairs)


def _linked_pairs(linkage: Linkage) -> list[ScoredPair]:
    """The model's pairs that join records of one final group."""
    pairs = linkage.pairs
    joined = pairs[pairs["match_probability"] >= linkage.threshold]
    same_group = (
        linkage.groups[joined["id_l"]].to_numpy() == linkage.groups[joined["id_r"]].to_numpy()
    )
    return [
        ScoredPair(int(row.id_l), int(row.id_r), float(row.match_probability), str(row.reason))
        for row in joined[same_group].itertuples(index=False)
    ]
