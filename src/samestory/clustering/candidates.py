"""Candidate pairs: which articles are worth verifying with the scorer.

The definition is exact and independent of input order and partitioning, so that the local
command and the Spark job find the same pairs: for each article, its ``neighbours`` most
similar articles by document cosine (rounded to 1e-6; ties by id) among those at least
``min_cosine`` similar and within ``window_days`` of it (an undated article is near every
date). A pair is a candidate when either side has the other among its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

__all__ = ["candidate_pairs", "close_in_time", "top_neighbours", "ROUND"]

ROUND = 6  # similarities and probabilities are rounded so that BLAS summation order cannot change a decision


def close_in_time(a: datetime | None, b: datetime | None, window_days: int) -> bool:
    return a is None or b is None or abs((a - b).total_seconds()) <= window_days * 86400


def _stamps(days: Sequence[datetime | None]) -> np.ndarray:
    return np.array([d.timestamp() if d is not None else np.nan for d in days], dtype=np.float64)


def top_neighbours(sims: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest values of a row (NaN = not allowed); ties go to the lower index."""
    valid = np.flatnonzero(~np.isnan(sims))
    if len(valid) <= k:
        return valid
    vals = sims[valid]
    kth = np.partition(vals, len(vals) - k)[len(vals) - k]
    above = valid[vals > kth]
    equal = valid[vals == kth]
    return np.concatenate([above, equal[: k - len(above)]])


def candidate_pairs(
    vectors: np.ndarray,
    days: Sequence[datetime | None],
    *,
    neighbours: int,
    min_cosine: float,
    window_days: int,
    block: int = 1024,
) -> dict[tuple[int, int], float]:
    """Candidate pairs (i < j) of rows of ``vectors`` (unit length), with their rounded cosine.

    Rows must be in id order for ties to go by id.
    """
    n = len(vectors)
    if n < 2 or neighbours < 1:
        return {}
    V = np.asarray(vectors, dtype=np.float64)
    t = _stamps(days)
    window = window_days * 86400.0
    out: dict[tuple[int, int], float] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = np.round(V[start:stop] @ V.T, ROUND)
        gap = np.abs(t[start:stop, None] - t[None, :])
        far = gap > window  # NaN (undated) compares False: near every date
        sims[far | (sims < min_cosine)] = np.nan
        sims[np.arange(stop - start), np.arange(start, stop)] = np.nan
        for row in range(stop - start):
            i = start + row
            for j in top_neighbours(sims[row], neighbours):
                j = int(j)
                out[(min(i, j), max(i, j))] = float(sims[row, j])
    return out
