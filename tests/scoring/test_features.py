"""Pair features: a batch gives each pair what the pair alone gives; the fast helpers equal NumPy's."""

import numpy as np

from samestory import analyse_all, article_from_dict
from samestory.scoring.features import FEATURE_NAMES, _mean, feature_matrix, pair_features
from tests._data import demo_docs


def test_feature_matrix_rows_are_the_features_of_each_pair():
    docs = list(demo_docs().values())[:6]
    ans = list(analyse_all([article_from_dict(d) for d in docs]))
    pairs = [(ans[i], ans[j]) for i in range(len(ans)) for j in range(len(ans)) if i != j]
    X = feature_matrix(pairs)
    for row, (a, b) in zip(X, pairs):
        f = pair_features(a, b)
        assert np.array_equal(row, [f[name] for name in FEATURE_NAMES])


def test_mean_is_numpys_bit_for_bit():
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        for n in (1, 2, 7, 16, 64, 300):
            x = rng.standard_normal(n).astype(dtype)
            assert _mean(x) == float(x.mean())
            m = rng.standard_normal((n, 3)).astype(dtype)
            assert _mean(m) == float(m.mean())
