"""Score bands: A for the top tenth of records, then B, C and D, by cut-offs set at training.

Bands are relative because a useful lead score is: with a 2% conversion rate nearly every
probability is small, yet reps need to know which leads are the best tenth.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BAND_SHARES = (("A", 0.10), ("B", 0.20), ("C", 0.30))
"""Share of records in each band above D (which holds the rest)."""


def band_cutoffs(probabilities: npt.NDArray[np.float64]) -> dict[str, float]:
    """Lowest probability of each band, from the scores of a reference population."""
    cutoffs: dict[str, float] = {}
    share = 0.0
    for band, width in BAND_SHARES:
        share += width
        cutoffs[band] = (
            float(np.quantile(probabilities, 1.0 - share)) if len(probabilities) else 1.0
        )
    return cutoffs


def bands_of(
    probabilities: npt.NDArray[np.float64], cutoffs: dict[str, float]
) -> npt.NDArray[np.str_]:
    """The band of each probability."""
    bands = np.full(len(probabilities), "D")
    for band, _ in reversed(BAND_SHARES):
        bands[probabilities >= cutoffs[band]] = band
    return bands
