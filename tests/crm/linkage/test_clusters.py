"""Clusters from scored pairs: connected groups, and the weakest link they rest on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dealflow.crm.linkage.clusters import ScoredPair, clusters_from_pairs


def test_a_chain_is_one_cluster_as_sure_as_its_weakest_needed_link() -> None:
    pairs = [
        ScoredPair(1, 2, 0.99, "a"),
        ScoredPair(2, 3, 0.80, "b"),
        ScoredPair(1, 3, 0.90, "c"),
        ScoredPair(7, 8, 0.97, "d"),
    ]

    first, second = clusters_from_pairs(pairs)

    assert first.record_ids == (1, 2, 3)
    assert first.confidence == 0.90  # 2-3 at 0.80 is not needed: 1-3 joins 3 more surely
    assert [pair.reason for pair in first.pairs] == ["a", "c", "b"]
    assert (second.record_ids, second.confidence) == ((7, 8), 0.97)


pair_lists = st.lists(
    st.builds(
        ScoredPair,
        st.integers(0, 30),
        st.integers(0, 30),
        st.floats(0, 1),
        st.just("why"),
    ),
    max_size=40,
)


@given(pair_lists)
def test_every_linked_record_is_in_exactly_one_cluster(pairs: list[ScoredPair]) -> None:
    clusters = clusters_from_pairs(pairs)

    members = [record for cluster in clusters for record in cluster.record_ids]
    assert len(members) == len(set(members))
    linked = {pair.id_a for pair in pairs if pair.id_a != pair.id_b} | {
        pair.id_b for pair in pairs if pair.id_a != pair.id_b
    }
    assert set(members) == linked
    for cluster in clusters:
        ends = {record for pair in cluster.pairs for record in (pair.id_a, pair.id_b)}
        assert ends <= set(cluster.record_ids)
        assert cluster.confidence <= 1.0
