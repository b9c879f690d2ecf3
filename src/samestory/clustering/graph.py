"""From verified links to stories: connected components, then average linkage inside each one.

Both steps are deterministic given members in id order; the Spark job runs the same
functions on each component it finds.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["components", "merge_floor", "split_weak"]

_SLACK = 1e-9  # a mean probability this close under the threshold still merges (float summation order)


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


def merge_floor(threshold: float) -> float:
    """The lowest mean probability at which ``split_weak`` merges two groups at ``threshold``. Its groups each lie
    inside one component of the pairs scored at least this high: the pairs between two such components may be
    left out of its input without changing its answer."""
    return threshold - _SLACK


def split_weak(members: list[int], prob: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average linkage on 1 - probability (unscored pairs count as probability 0): groups merge
    while the mean probability between them is at least ``threshold``. ``prob`` holds the
    scored pairs (i < j) among ``members``. Returns groups (sorted), listed by smallest member.

    Two groups with no scored pair between them have mean probability 0 and never merge (for a
    positive threshold), so only linked groups are compared: the merges run over the sparse graph
    of scored pairs (work and memory grow with the pairs, not with the square of the members, which
    a story of tens of thousands of articles needs), closest pair first, ties by smallest members.
    Where no two probabilities tie, the result is the flat clustering that scipy's average linkage cut at
    ``1 - threshold`` gives (tested against it); where they do, scipy's choice depends on the order of the members
    and this one does not."""
    members = sorted(members)
    if len(members) <= 2:
        return [members]
    if threshold <= _SLACK:  # every mean probability is at least 0: one group
        return [members]
    floor = merge_floor(threshold)
    pos = {x: k for k, x in enumerate(members)}
    scored = [(a, b, p) for (i, j), p in prob.items()
              if (a := pos.get(i)) is not None and (b := pos.get(j)) is not None and a != b and p > 0.0]
    # A mean of at least ``floor`` needs one pair at least that high, so every group lies inside one component of
    # the pairs that high (the strong pairs): only pairs inside a strong component are held, and only means that
    # reach the floor go on the heap (nothing under it is ever merged); the merges are the same.
    strong = [0] * len(members)
    for k, part in enumerate(components(len(members), ((a, b) for a, b, p in scored if p >= floor))):
        for a in part:
            strong[a] = k
    size = [1] * len(members)
    smallest = list(members)  # each group's smallest member: the tie-break, and the group's name once merged
    links: list[dict[int, float]] = [{} for _ in members]  # group -> {linked group: summed probability}
    for a, b, p in scored:
        if strong[a] == strong[b]:
            links[a][b] = links[a].get(b, 0.0) + p
            links[b][a] = links[b].get(a, 0.0) + p
    del scored
    alive = [True] * len(members)
    parent = list(range(len(members)))  # a merged group points at the group it went into
    heap = [(-s, smallest[a], smallest[b], a, b) for a in range(len(members)) for b, s in links[a].items() if a < b and s >= floor]
    heapq.heapify(heap)
    while heap:
        neg, _, _, a, b = heapq.heappop(heap)
        if -neg < floor:
            break
        if not (alive[a] and alive[b]) or b not in links[a] or links[a][b] / (size[a] * size[b]) != -neg:
            continue  # stale: a group merged since this entry was pushed
        if len(links[a]) < len(links[b]):
            a, b = b, a  # merge the group with fewer links into the one with more
        alive[b] = False
        parent[b] = a
        size[a] += size[b]
        smallest[a] = min(smallest[a], smallest[b])
        del links[a][b]
        for x, s in links[b].items():
            if x == a:
                continue
            del links[x][b]
            links[a][x] = links[x][a] = links[a].get(x, 0.0) + s
        links[b] = {}
        for x, s in links[a].items():
            mean = s / (size[a] * size[x])
            if mean >= floor:
                lo, hi = (a, x) if smallest[a] < smallest[x] else (x, a)
                heapq.heappush(heap, (-mean, smallest[lo], smallest[hi], lo, hi))
    groups: dict[int, list[int]] = defaultdict(list)
    for k, x in enumerate(members):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        groups[k].append(x)
    return sorted(groups.values(), key=lambda g: g[0])
