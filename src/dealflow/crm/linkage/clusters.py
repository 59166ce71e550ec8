"""Duplicate clusters: scored pairs of records joined into groups of one entity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredPair:
    """Two records and how likely they are the same entity, with the reason in words."""

    id_a: int
    id_b: int
    match_probability: float
    reason: str


@dataclass(frozen=True)
class DuplicateCluster:
    """Records that are one entity. ``confidence`` is the weakest link that holds the group
    together (the lowest match probability on its strongest spanning tree)."""

    record_ids: tuple[int, ...]
    pairs: list[ScoredPair]
    confidence: float


def clusters_from_pairs(pairs: Iterable[ScoredPair]) -> list[DuplicateCluster]:
    """Connected groups of the pairs, strongest links first; largest, surest groups first."""
    ordered = sorted(
        (pair for pair in pairs if pair.id_a != pair.id_b), key=lambda pair: -pair.match_probability
    )
    parent: dict[int, int] = {}

    def root(record_id: int) -> int:
        parent.setdefault(record_id, record_id)
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    weakest_link: dict[int, float] = {}
    for pair in ordered:
        a, b = root(pair.id_a), root(pair.id_b)
        if a == b:
            continue
        parent[b] = a
        links = [weakest_link.pop(a, 1.0), weakest_link.pop(b, 1.0), pair.match_probability]
        weakest_link[a] = min(links)
    members: dict[int, list[int]] = {}
    for record_id in parent:
        members.setdefault(root(record_id), []).append(record_id)
    grouped: dict[int, list[ScoredPair]] = {}
    for pair in ordered:
        grouped.setdefault(root(pair.id_a), []).append(pair)
    clusters = [
        DuplicateCluster(
            record_ids=tuple(sorted(ids)),
            pairs=sorted(grouped[group], key=lambda p: (-p.match_probability, p.id_a, p.id_b)),
            confidence=weakest_link[group],
        )
        for group, ids in members.items()
        if len(ids) > 1
    ]
    return sorted(clusters, key=lambda c: (-len(c.record_ids), -c.confidence, c.record_ids))
