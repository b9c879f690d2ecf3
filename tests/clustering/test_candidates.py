"""Candidate pairs: comparing only what the time window can reach gives what comparing everything gives."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from samestory.clustering.candidates import block_neighbours, candidate_arrays, candidate_pairs


def _everything(V, days, **kw):
    t = np.array([d.timestamp() if d else np.nan for d in days])
    out = {}
    for r, j, sim in block_neighbours(V, t, V, t, np.arange(len(V)), **kw):
        out[(min(r, j), max(r, j))] = sim
    return dict(sorted(out.items()))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_time_blocks_give_the_pairs_of_comparing_everything(seed):
    rng = np.random.default_rng(seed)
    n = 700
    centres = rng.normal(size=(40, 16))
    V = centres[rng.integers(0, 40, n)] + 0.6 * rng.normal(size=(n, 16))
    V[5] = V[6]  # exact ties go to the lower index
    V[7] = V[6]
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    days = [None if rng.random() < 0.05 else start + timedelta(days=float(rng.uniform(0, 365))) for _ in range(n)]
    days[10] = days[11] + timedelta(days=30) if days[11] else None  # exactly at the window's edge
    kw = dict(neighbours=5, min_cosine=0.2, window_days=30)
    got = candidate_pairs(V, days, block=64, **kw)
    assert got == _everything(V, days, **kw)
    assert list(got) == sorted(got) and len(got) > n


def test_all_undated_and_tiny_inputs():
    V = np.eye(3)[[0, 0, 1, 2, 2]].astype(float)
    assert candidate_pairs(V, [None] * 5, neighbours=1, min_cosine=0.5, window_days=30) == {(0, 1): 1.0, (3, 4): 1.0}
    assert candidate_pairs(V[:1], [None], neighbours=3, min_cosine=0.0, window_days=30) == {}


def test_the_arrays_are_the_pairs_and_float32_vectors_need_no_float64_copy():
    rng = np.random.default_rng(3)
    V = rng.normal(size=(300, 16)).astype(np.float32)
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    days = [start + timedelta(days=float(d)) for d in rng.uniform(0, 120, len(V))]
    kw = dict(neighbours=4, min_cosine=0.1, window_days=30)
    left, right, sims = candidate_arrays(V, days, block=32, **kw)
    assert left.dtype == right.dtype == np.int64 and (left < right).all()
    assert list(zip(left.tolist(), right.tolist())) == sorted(zip(left.tolist(), right.tolist()))
    assert dict(zip(zip(left.tolist(), right.tolist()), sims.tolist())) == _everything(V.astype(np.float64), days, **kw)


@pytest.mark.parametrize("columns", [1, 5, 64])
def test_columns_compared_a_slice_at_a_time_choose_what_all_at_once_chooses(monkeypatch, columns):
    from samestory.clustering import candidates

    rng = np.random.default_rng(4)
    V = rng.normal(size=(200, 8))
    V[20] = V[21] = V[22] = V[23] = V[3]  # four equal columns for three places: ties at the k-th place go to the lower index across slices too
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    days = [None if k % 9 == 0 else start + timedelta(days=float(d)) for k, d in enumerate(rng.uniform(0, 90, len(V)))]
    days[20:24] = [days[3]] * 4
    kw = dict(neighbours=3, min_cosine=0.0, window_days=20)
    whole = candidate_pairs(V, days, block=16, **kw)
    monkeypatch.setattr(candidates, "_COLUMNS", columns)
    assert candidate_pairs(V, days, block=16, **kw) == whole
