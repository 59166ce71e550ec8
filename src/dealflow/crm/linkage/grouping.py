"""Records grouped into entities from scored pairs, without chaining weak links.

Pairs at or above the threshold join records into connected groups. A chain a-b-c can join
two people through one middle record, so each group of three or more is scored in full
(every pair inside it) and rebuilt by average linkage: two parts stay together only while
the average probability between them stays at or above KEEP_TOGETHER (a low bar: the
model underrates pairs inside a cluster whose records were each corrupted differently).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MAX_GROUP = 200
"""Groups larger than this are first cut at a stricter threshold before being scored in full."""
KEEP_TOGETHER = 0.3

PairScorer = Callable[[pd.Series], pd.DataFrame]
"""Scores every pair inside each block: takes block numbers indexed by record id, returns
``id_l, id_r, match_probability`` for pairs in the same block."""


def connected_groups(ids: np.ndarray, edges: pd.DataFrame) -> np.ndarray:
    """A group number for each id in ``ids`` from ``edges`` (id_l, id_r)."""
    position = pd.Series(np.arange(len(ids)), index=ids)
    left = position[edges["id_l"].to_numpy()].to_numpy()
    right = position[edges["id_r"].to_numpy()].to_numpy()
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def group_records(
    ids: np.ndarray, pairs: pd.DataFrame, threshold: float, score_inside: PairScorer | None
) -> pd.Series:
    """A group number per record id: connected at ``threshold``, then split where the
    average probability between parts is below KEEP_TOGETHER (when ``score_inside`` is
    given)."""
    groups = pd.Series(connected_groups(ids, _at_least(pairs, threshold)), index=ids)
    if score_inside is None:
        return groups
    groups = _cut_large_groups(groups, pairs, threshold)
    sizes = groups.map(groups.value_counts())
    blocks = groups[sizes >= 3]
    if blocks.empty:
        return groups
    inside = score_inside(blocks)
    inside = inside.assign(block=inside["id_l"].map(blocks).to_numpy())
    inside = inside[inside["block"].to_numpy() == inside["id_r"].map(blocks).to_numpy()]
    doubtful = ~blocks.isin(_settled(blocks, inside))
    scored_by_block = dict(iter(inside.groupby("block")))
    next_label = int(groups.max()) + 1
    relabel: dict[object, int] = {}
    for label, members in blocks[doubtful].groupby(blocks[doubtful]):
        parts = average_linkage(members.index.to_numpy(), scored_by_block.get(label, inside[:0]))
        for part in parts[1:]:
            relabel.update(dict.fromkeys(part, next_label))
            next_label += 1
    if relabel:
        changed = pd.Series(relabel)
        groups.loc[changed.index] = changed.to_numpy()
    return groups


def _settled(blocks: pd.Series, inside: pd.DataFrame) -> pd.Index:
    """Blocks whose every pair is scored at KEEP_TOGETHER or more: they stay whole, since
    no average of such pairs falls below it."""
    summary = inside.groupby("block")["match_probability"].agg(["min", "size"])
    members = blocks.value_counts().reindex(summary.index)
    complete = summary["size"] == members * (members - 1) // 2
    return summary.index[complete & (summary["min"] >= KEEP_TOGETHER)]


def average_linkage(members: np.ndarray, scored: pd.DataFrame) -> list[list[object]]:
    """``members`` split into parts whose average pairwise probability is >= KEEP_TOGETHER."""
    index = {member: i for i, member in enumerate(members)}
    matrix = np.zeros((len(members), len(members)))
    for left, right, probability in scored[["id_l", "id_r", "match_probability"]].itertuples(
        index=False
    ):
        i, j = index[left], index[right]
        matrix[i, j] = matrix[j, i] = probability
    parts: list[list[int]] = [[i] for i in range(len(members))]
    while len(parts) > 1:
        best, pair = -1.0, (0, 0)
        for a in range(len(parts)):
            for b in range(a + 1, len(parts)):
                average = float(matrix[np.ix_(parts[a], parts[b])].mean())
                if average > best:
                    best, pair = average, (a, b)
        if best < KEEP_TOGETHER:
            break
        a, b = pair
        parts[a] = parts[a] + parts.pop(b)
    return [[members[i] for i in part] for part in parts]


def _cut_large_groups(groups: pd.Series, pairs: pd.DataFrame, threshold: float) -> pd.Series:
    """Groups over MAX_GROUP re-joined at stricter thresholds until each fits."""
    strict = threshold
    while strict < 1.0:
        sizes = groups.map(groups.value_counts())
        large = groups[sizes > MAX_GROUP]
        if large.empty:
            break
        strict = 1 - (1 - strict) / 4
        inside = pairs[pairs["id_l"].isin(large.index) & pairs["id_r"].isin(large.index)]
        labels = connected_groups(large.index.to_numpy(), _at_least(inside, strict))
        groups[large.index] = labels + int(groups.max()) + 1
    return groups


def _at_least(pairs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    return pairs[pairs["match_probability"] >= threshold]
