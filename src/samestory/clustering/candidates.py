"""Candidate pairs: which articles are worth verifying with the scorer.

The definition is exact and independent of input order and partitioning, so that the local
command and the Spark job find the same pairs: for each article, its ``neighbours`` most
similar articles by search-vector cosine (``search.search_vector``) (rounded to 1e-6; ties by id) among those at least
``min_cosine`` similar and within ``window_days`` of it (an undated article is near every
date). A pair is a candidate when either side has the other among its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

__all__ = ["candidate_pairs", "candidate_arrays", "block_neighbours", "top_neighbours", "ROUND"]

ROUND = 6  # similarities and probabilities are rounded so that BLAS summation order cannot change a decision
_COLUMNS = 8192  # columns compared at once: a block of 1,024 rows then holds ~64 MB of similarities


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


class _Gather:
    """Rows ``cols`` of ``V``, gathered a slice at a time (``C[a:b]``): no copy of all the columns at once."""

    def __init__(self, V: np.ndarray, cols: np.ndarray) -> None:
        self.V, self.cols = V, cols

    def __len__(self) -> int:
        return len(self.cols)

    def __getitem__(self, part: slice) -> np.ndarray:
        return self.V[self.cols[part]]


def block_neighbours(
    Q: np.ndarray,
    tq: np.ndarray,
    C,
    tc: np.ndarray,
    self_column: np.ndarray,
    *,
    neighbours: int,
    min_cosine: float,
    window_days: int,
) -> list[tuple[int, int, float]]:
    """For each query row, its ``neighbours`` best candidate columns: (query row, column, rounded cosine).

    ``Q``/``C``: unit vectors (compared in float64; ``C`` anything that slices into rows); ``tq``/``tc``:
    timestamps (NaN = undated); ``self_column``: each query's own column in C (-1: none). Columns must be in id
    order, so that ties go to the lower id. The local command and the Spark job both call this. The columns are
    compared ``_COLUMNS`` at a time, each slice's best kept with the best so far (the same choice: the best of a
    union is the best of each part's best), so memory stays bounded however many columns there are (undated
    articles are compared with every article).
    """
    Q = np.asarray(Q, dtype=np.float64)
    best_cols: list[np.ndarray] = [np.zeros(0, np.int64)] * len(Q)
    best_sims: list[np.ndarray] = [np.zeros(0)] * len(Q)
    for c0 in range(0, len(C), _COLUMNS):
        c1 = min(len(C), c0 + _COLUMNS)
        sims = np.round(Q @ np.asarray(C[c0:c1], dtype=np.float64).T, ROUND)
        far = np.abs(tq[:, None] - tc[None, c0:c1]) > window_days * 86400.0  # NaN (undated) compares False: near every date
        sims[far | (sims < min_cosine)] = np.nan
        rows = np.flatnonzero((self_column >= c0) & (self_column < c1))
        sims[rows, self_column[rows] - c0] = np.nan
        for r in range(len(Q)):
            if c0:  # the best so far come first: their columns are lower, so ties still go to the lower column
                vals, cols = np.concatenate([best_sims[r], sims[r]]), np.concatenate([best_cols[r], np.arange(c0, c1)])
            else:
                vals, cols = sims[r], None
            top = top_neighbours(vals, neighbours)
            best_cols[r], best_sims[r] = (top if cols is None else cols[top]), vals[top]
    return [(r, int(j), float(v)) for r in range(len(Q)) for j, v in zip(best_cols[r], best_sims[r])]


def candidate_pairs(vectors: np.ndarray, days: Sequence[datetime | None], **options) -> dict[tuple[int, int], float]:
    """Candidate pairs (i < j) of rows of ``vectors`` (unit length), with their rounded cosine, in key order:
    ``candidate_arrays`` (and its options: ``neighbours``, ``min_cosine``, ``window_days``, ``block``) as a dict."""
    left, right, sims = candidate_arrays(vectors, days, **options)
    return dict(zip(zip(left.tolist(), right.tolist()), sims.tolist()))


def candidate_arrays(
    vectors: np.ndarray,
    days: Sequence[datetime | None],
    *,
    neighbours: int,
    min_cosine: float,
    window_days: int,
    block: int = 1024,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of rows of ``vectors`` (unit length) as arrays: left < right (int64), and their rounded
    cosine, sorted by (left, right).

    Rows must be in id order for ties to go by id. Dated rows are taken a block at a time in date
    order and compared only with the rows their window can reach (and the undated ones), so a
    year of news costs about ``2 * window_days / 365`` of comparing everything with everything;
    undated rows are compared with all. The result is the same as comparing everything. Only a block's
    rows and a slice of its columns are copied (in float64), so ``vectors`` may be float32 and large.
    """
    n = len(vectors)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))
    if n < 2 or neighbours < 1:
        return empty
    V = np.asarray(vectors)
    t = _stamps(days)
    undated = np.flatnonzero(np.isnan(t))
    dated = np.flatnonzero(~np.isnan(t))
    by_time = dated[np.argsort(t[dated], kind="stable")]
    times = t[by_time]
    reach = window_days * 86400.0 + 1.0  # a second more: a superset of what the exact test in block_neighbours allows
    found_i, found_j, found_s = [], [], []
    blocks = [by_time[k : k + block] for k in range(0, len(by_time), block)]
    blocks += [undated[k : k + block] for k in range(0, len(undated), block)]
    for rows in blocks:
        if np.isnan(t[rows[0]]):
            cols = np.arange(n)  # an undated row is near every date
        else:
            lo = np.searchsorted(times, t[rows].min() - reach, side="left")
            hi = np.searchsorted(times, t[rows].max() + reach, side="right")
            cols = np.union1d(by_time[lo:hi], undated)  # ascending: ties still go to the lower id
        found = block_neighbours(V[rows], t[rows], _Gather(V, cols), t[cols], np.searchsorted(cols, rows),
                                 neighbours=neighbours, min_cosine=min_cosine, window_days=window_days)
        if found:
            r, c, sim = (np.array(x) for x in zip(*found))
            i, j = rows[r], cols[c]
            found_i.append(np.minimum(i, j))
            found_j.append(np.maximum(i, j))
            found_s.append(sim.astype(np.float64))
    if not found_i:
        return empty
    left, right, sims = (np.concatenate(x) for x in (found_i, found_j, found_s))
    # a pair found from both sides keeps the cosine found last (both are the same rounded dot product)
    key = left.astype(np.int64) * n + right
    last = len(key) - 1 - np.unique(key[::-1], return_index=True)[1]  # np.unique sorts: key order
    return left[last].astype(np.int64), right[last].astype(np.int64), sims[last]
