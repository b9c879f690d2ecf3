"""From verified links to stories: connected components, then average linkage inside each one.

Both steps are deterministic given members in id order; the Spark job runs the same
functions on each component it finds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

__all__ = ["components", "split_weak"]


def components(n: int, links: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components of ``range(n)`` under ``links``, each sorted, listed by smallest member."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in links:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [groups[r] for r in sorted(groups)]


def split_weak(members: list[int], prob: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average linkage on 1 - probability (unscored pairs count as probability 0): groups merge
    while the mean probability between them is at least ``threshold``. ``prob`` holds the
    scored pairs (i < j) among ``members``. Returns groups (sorted), listed by smallest member."""
    members = sorted(members)
    m = len(members)
    if m <= 2:
        return [members]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    pos = {x: k for k, x in enumerate(members)}
    D = np.ones((m, m), dtype=np.float64)
    np.fill_diagonal(D, 0.0)
    for (i, j), p in prob.items():
        if i in pos and j in pos:
            D[pos[i], pos[j]] = D[pos[j], pos[i]] = 1.0 - p
    Z = linkage(squareform(D, checks=False), method="average")
    labels = fcluster(Z, t=1.0 - threshold + 1e-9, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for x, label in zip(members, labels):
        groups[int(label)].append(x)
    return sorted(groups.values(), key=lambda g: g[0])
