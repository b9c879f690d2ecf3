"""cluster(analyses) -> stories: which articles tell the same story.

The batch definition, deterministic and independent of input order:

1. candidates: each article's ``cluster.neighbours`` nearest articles by document-vector
   cosine (at least ``cluster.min_cosine``), within ``cluster.window_days`` of each other
   when both are dated;
2. verification: the shipped pair scorer's probability that the two tell the same story;
3. links: candidate pairs with probability >= ``cluster.link_probability``;
4. stories: connected components of the links, each split again by average linkage on the
   scorer's probabilities (groups merge while their mean probability exceeds
   ``cluster.split_probability``), so that a chain of links does not join two stories.

Ties and ids are resolved by article id, so the same articles always give the same stories.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from ..records import Analysis, Story
from ..scoring import compare_many
from ..settings import Settings, load_settings

__all__ = ["cluster", "candidate_pairs"]


def candidate_pairs(analyses: Sequence[Analysis], settings: Settings) -> list[tuple[int, int]]:
    """Index pairs (i < j) worth scoring: near in embedding space and in time."""
    cfg = settings.cluster
    n = len(analyses)
    if n < 2:
        return []
    V = np.vstack([a.doc for a in analyses]).astype(np.float32)
    days = [a.article.published for a in analyses]
    k = min(cfg.neighbours, n - 1)
    pairs: set[tuple[int, int]] = set()
    block = 2048
    for start in range(0, n, block):
        sims = V[start : start + block] @ V.T
        for row, i in enumerate(range(start, min(n, start + block))):
            sims[row, i] = -2.0
            top = np.argpartition(-sims[row], k - 1)[:k] if k < n else np.arange(n)
            for j in top:
                j = int(j)
                if sims[row, j] < cfg.min_cosine or not _close_in_time(days[i], days[j], cfg.window_days):
                    continue
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _close_in_time(a: datetime | None, b: datetime | None, window_days: int) -> bool:
    return a is None or b is None or abs((a - b).total_seconds()) <= window_days * 86400


def _components(n: int, links: list[tuple[int, int]]) -> list[list[int]]:
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
    return list(groups.values())


def _split_weak(members: list[int], prob: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average linkage inside one component: merge while the mean probability between groups stays high."""
    if len(members) <= 2:
        return [members]
    groups = [[m] for m in sorted(members)]
    while len(groups) > 1:
        best, best_score = None, threshold
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                scores = [prob.get((min(a, b), max(a, b)), 0.0) for a in groups[x] for b in groups[y]]
                mean = sum(scores) / len(scores)
                if mean > best_score:
                    best, best_score = (x, y), mean
        if best is None:
            break
        x, y = best
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
    return groups


def _story(members: list[int], analyses: Sequence[Analysis]) -> Story:
    arts = sorted((analyses[i] for i in members), key=lambda a: (a.article.published is None, a.article.published or datetime.min, a.id))
    V = np.vstack([a.doc for a in arts])
    central = arts[int((V @ V.T).sum(axis=1).argmax())]
    dated = [a.article.published for a in arts if a.article.published]
    ids = tuple(a.id for a in arts)
    sources = tuple(sorted({a.article.source for a in arts if a.article.source}))
    countries: dict[str, int] = defaultdict(int)
    for a in arts:
        for c in a.countries[:3]:
            countries[c] += 1
    return Story(
        id="s" + hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:12],
        title=central.article.title or (central.sentences[0] if central.sentences else central.id),
        articles=ids,
        first_seen=min(dated) if dated else None,
        last_seen=max(dated) if dated else None,
        sources=sources,
        countries=tuple(sorted(countries, key=lambda c: (-countries[c], c))[:5]),
    )


def cluster(analyses: Sequence[Analysis], *, settings: Settings | None = None) -> list[Story]:
    """Stories of a batch of analysed articles, newest first; the same input set always gives the same stories."""
    settings = settings or load_settings()
    order = sorted(range(len(analyses)), key=lambda i: analyses[i].id)  # input order must not matter
    ans = [analyses[i] for i in order]
    pairs = candidate_pairs(ans, settings)
    prob: dict[tuple[int, int], float] = {}
    for (i, j), score in zip(pairs, compare_many(((ans[i], ans[j]) for i, j in pairs), settings=settings, batch_size=256)):
        prob[(i, j)] = score.probability
    threshold = settings.cluster.link_probability
    links = [p for p, v in prob.items() if v >= threshold]
    stories = []
    for comp in _components(len(ans), links):
        for group in _split_weak(comp, prob, settings.cluster.split_probability):
            stories.append(_story(group, ans))
    stories.sort(key=lambda s: (s.last_seen is None, -(s.last_seen.timestamp() if s.last_seen else 0), -len(s.articles), s.id))
    return stories
