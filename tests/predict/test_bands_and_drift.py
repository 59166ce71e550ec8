"""Bands split records by the reference population; drift shows when scores shift."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dealflow.predict.bands import band_cutoffs, bands_of
from dealflow.predict.monitoring import population_stability


def test_bands_hold_the_top_tenth_then_two_tenths_then_three() -> None:
    reference = np.linspace(0.0, 0.2, 1001)  # small probabilities, as with rare conversions

    bands = bands_of(reference, band_cutoffs(reference))

    shares = {band: float(np.mean(bands == band)) for band in "ABCD"}
    assert np.allclose(list(shares.values()), [0.1, 0.2, 0.3, 0.4], atol=0.002)
    assert bands[-1] == "A" and bands[0] == "D"


@given(st.lists(st.floats(0, 1), min_size=1, max_size=200))
def test_a_higher_probability_never_gets_a_lower_band(values: list[float]) -> None:
    probabilities = np.array(sorted(values))
    bands = bands_of(probabilities, band_cutoffs(probabilities))
    ranks = ["DCBA".index(band) for band in bands]
    assert ranks == sorted(ranks)


def test_population_stability_is_near_zero_for_the_same_scores_and_large_for_a_shift() -> None:
    rng = np.random.default_rng(0)
    reference = rng.beta(2, 8, 5000)

    same = population_stability(reference, rng.beta(2, 8, 5000))
    shifted = population_stability(reference, rng.beta(5, 5, 5000))

    assert same < 0.02
    assert shifted > 0.25
