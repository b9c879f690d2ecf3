"""Links to stories: the sparse average linkage gives what scipy's dense average linkage gives."""

import random

import numpy as np
import pytest

from samestory.clustering.graph import components, split_weak


def _dense_average_linkage(members, prob, threshold):
    """The plain definition: scipy's average linkage on 1 - p over the full matrix (unscored = p 0), cut."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    pos = {x: k for k, x in enumerate(members)}
    D = np.ones((len(members), len(members)))
    np.fill_diagonal(D, 0.0)
    for (i, j), p in prob.items():
        D[pos[i], pos[j]] = D[pos[j], pos[i]] = 1.0 - p
    labels = fcluster(linkage(squareform(D, checks=False), method="average"), t=1.0 - threshold + 1e-9, criterion="distance")
    groups = {}
    for x, label in zip(members, labels):
        groups.setdefault(label, []).append(x)
    return sorted(groups.values(), key=lambda g: g[0])


@pytest.mark.parametrize("seed", range(40))
def test_sparse_average_linkage_equals_the_dense_one(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 60)
    members = sorted(rng.sample(range(1000), n))
    # a few dense stories and stray links between them, probabilities without ties
    story = {x: rng.randrange(max(1, n // 6)) for x in members}
    prob = {}
    for a in members:
        for b in members:
            if a < b and rng.random() < (0.6 if story[a] == story[b] else 0.05):
                prob[(a, b)] = rng.uniform(0.55, 1.0) if story[a] == story[b] else rng.uniform(0.0, 0.8)
    for threshold in (0.3, 0.5, 0.7):
        assert split_weak(members, prob, threshold) == _dense_average_linkage(members, prob, threshold)


def test_unlinked_members_stay_alone_and_the_order_of_pairs_does_not_matter():
    prob = {(1, 2): 0.9, (2, 3): 0.8, (1, 3): 0.7, (3, 9): 0.2}
    assert split_weak([9, 3, 2, 1, 7], prob, 0.5) == [[1, 2, 3], [7], [9]]
    assert split_weak([1, 2, 3, 7, 9], dict(reversed(prob.items())), 0.5) == [[1, 2, 3], [7], [9]]


def test_a_chain_is_cut_where_the_mean_falls():
    # 0-1-2 strongly linked, 3-4-5 strongly linked, one weak bridge 2-3: two groups, not one
    prob = {(0, 1): 0.95, (1, 2): 0.9, (0, 2): 0.9, (3, 4): 0.95, (4, 5): 0.9, (3, 5): 0.85, (2, 3): 0.6}
    assert components(6, [p for p, v in prob.items() if v >= 0.3]) == [[0, 1, 2, 3, 4, 5]]
    assert split_weak(list(range(6)), prob, 0.5) == [[0, 1, 2], [3, 4, 5]]


def test_a_long_chain_is_handled_without_a_square_matrix():
    n = 20_000  # 4,000 stories of five chained by single links: a dense matrix would take 3.2 GB
    prob = {(i, j): 0.9 for g in range(0, n, 5) for i in range(g, g + 5) for j in range(i + 1, g + 5)}
    prob.update({(g - 1, g): 0.6 for g in range(5, n, 5)})
    assert len(components(n, prob)) == 1
    groups = split_weak(list(range(n)), prob, 0.5)
    assert groups == [list(range(g, g + 5)) for g in range(0, n, 5)]


@pytest.mark.parametrize("seed", range(20))
def test_groups_from_scored_links_then_splits_each_component_over_all_its_pairs(seed):
    # the plain definition: components of the links, each of three or more split by the dense average linkage over
    # every scored pair inside it (groups_from_scored holds only the pairs inside a component of strong pairs)
    from samestory import load_settings
    from samestory.clustering.batch import groups_from_scored

    settings = load_settings()
    cfg = settings.cluster
    rng = random.Random(seed)
    n = rng.randint(5, 80)
    story = [rng.randrange(max(1, n // 5)) for _ in range(n)]
    prob = {(a, b): rng.uniform(0.45, 1.0) if story[a] == story[b] else rng.uniform(0.0, 0.6)
            for a in range(n) for b in range(a + 1, n) if rng.random() < (0.7 if story[a] == story[b] else 0.08)}
    want = []
    for comp in components(n, [p for p, v in prob.items() if v >= cfg.link_probability]):
        inner = {p: v for p, v in prob.items() if p[0] in comp and p[1] in comp}
        want.extend([comp] if len(comp) <= 2 else _dense_average_linkage(comp, inner, cfg.split_probability))
    left, right = (np.array([p[k] for p in prob], dtype=np.int64) for k in (0, 1))
    assert groups_from_scored(n, left, right, np.array(list(prob.values())), settings) == want
