"""cluster(analyses) -> stories: the batch definition, deterministic and independent of input order.

1. candidates: each article's nearest articles by search vector (document vector and event keys,
   ``search.search_vector``) within a time window (``candidates.candidate_pairs``);
2. verification: the story linker's probability that the two tell the same story;
3. links: candidate pairs with probability >= ``cluster.link_probability``;
4. stories: connected components of the links, each split again by average linkage on the
   linker's probabilities (``graph.split_weak``), so that a chain of links cannot join two stories;
5. each story split again where its articles centre on two people who do not name each other
   (``protagonists.protagonist_split``): two look-alike events.

Articles are taken in id order (a repeated id keeps one version, by ``latest_version``), so the
same articles always give the same stories; the Spark job computes the same steps (see
``samestory.spark``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..records import Analysis, Story
from ..settings import Settings, load_settings
from .candidates import candidate_pairs
from .graph import components, merge_floor, split_weak
from .linker import link_probabilities
from .protagonists import may_split, protagonist_split
from .search import search_vectors
from .stories import make_story

__all__ = ["cluster", "score_pairs", "groups_from_links", "groups_from_scored", "by_protagonist", "newest_first", "latest_versions", "version_key"]


def score_pairs(ans: Sequence[Analysis], pairs: Sequence[tuple[int, int]], *, linker=None, batch: int = 512) -> dict[tuple[int, int], float]:
    """Linker probability for index pairs of ``ans``."""
    out: dict[tuple[int, int], float] = {}
    for start in range(0, len(pairs), batch):
        chunk = pairs[start : start + batch]
        for pair, p in zip(chunk, link_probabilities([(ans[i], ans[j]) for i, j in chunk], linker=linker)):
            out[pair] = float(p)
    return out


def groups_from_links(n: int, prob: dict[tuple[int, int], float], settings: Settings) -> list[list[int]]:
    """Steps 3 and 4: components of confident links, split by average linkage (``groups_from_scored`` over a dict)."""
    pairs = np.array(list(prob), dtype=np.int64).reshape(-1, 2)
    return groups_from_scored(n, pairs[:, 0], pairs[:, 1], np.fromiter(prob.values(), np.float64, len(prob)), settings)


def groups_from_scored(n: int, left: np.ndarray, right: np.ndarray, probs: np.ndarray, settings: Settings) -> list[list[int]]:
    """Steps 3 and 4 over scored pairs given as arrays (left < right, their probabilities): components of the
    pairs at or above ``cluster.link_probability``, each split by average linkage on all its scored pairs. Arrays
    rather than a dict of tuples: a million articles' repair scores about twenty million pairs."""
    cfg = settings.cluster
    linked = probs >= cfg.link_probability
    comps = components(n, zip(left[linked].tolist(), right[linked].tolist()))
    comp_of = np.empty(n, dtype=np.int64)
    for c, members in enumerate(comps):
        comp_of[members] = c
    # only the pairs inside one component of the strong pairs matter to the linkage (``merge_floor``): a chain of
    # weak links makes components of tens of thousands of articles, and a dict of all their pairs takes gigabytes
    strong = probs >= merge_floor(cfg.split_probability)
    strong_of = np.empty(n, dtype=np.int64)
    for c, members in enumerate(components(n, zip(left[strong].tolist(), right[strong].tolist()))):
        strong_of[members] = c
    inside = np.flatnonzero((comp_of[left] == comp_of[right]) & (strong_of[left] == strong_of[right]))
    inside = inside[np.argsort(comp_of[left[inside]], kind="stable")]
    bounds = np.searchsorted(comp_of[left[inside]], np.arange(len(comps) + 1))
    out: list[list[int]] = []
    for c, members in enumerate(comps):
        if len(members) <= 2:
            out.append(members)
            continue
        rows = inside[bounds[c] : bounds[c + 1]]
        prob = dict(zip(zip(left[rows].tolist(), right[rows].tolist()), probs[rows].tolist()))
        out.extend(split_weak(members, prob, cfg.split_probability))
    return out


def by_protagonist(groups: list[list[int]], analyses_of: Callable[[list[int]], Sequence[Analysis]],
                   settings: Settings) -> list[list[int]]:
    """Step 5: each group (indices, sorted) split by protagonist; ``analyses_of`` gives a group's analyses, and is
    called only for groups large enough to split."""
    cfg = settings.cluster
    out: list[list[int]] = []
    for g in groups:
        if not may_split(len(g), cfg.protagonist_articles):  # no analyses fetched for a group that cannot split
            out.append(g)
            continue
        parts = protagonist_split(analyses_of(g), min_articles=cfg.protagonist_articles,
                                  co_mention=cfg.protagonist_co_mention)
        out.extend([g[k] for k in part] for part in parts)
    return out


def newest_first(stories: list[Story]) -> list[Story]:
    return sorted(stories, key=lambda s: (s.last_seen is None, -(s.last_seen.timestamp() if s.last_seen else 0), -len(s.articles), s.id))


def version_key(an: Analysis) -> tuple:
    """Which version of a repeated id a batch keeps: the latest published (dated over undated), then
    the greatest content hash; independent of input order and partitioning."""
    pub = an.article.published
    return (pub is not None, pub.timestamp() if pub else 0.0, an.article.content_hash)


def latest_versions(analyses: Sequence[Analysis]) -> list[Analysis]:
    """One analysis per id (``version_key``), in id order."""
    keep: dict[str, Analysis] = {}
    for a in analyses:
        if a.id not in keep or version_key(a) > version_key(keep[a.id]):
            keep[a.id] = a
    return sorted(keep.values(), key=lambda a: a.id)


def cluster(analyses: Sequence[Analysis], *, settings: Settings | None = None, linker=None) -> list[Story]:
    """Stories of a batch of analysed articles, newest first; the same set of articles always gives the same stories."""
    settings = settings or load_settings()
    cfg = settings.cluster
    ans = latest_versions(analyses)
    if not ans:
        return []
    cands = candidate_pairs(search_vectors(ans), [a.article.published for a in ans], neighbours=cfg.neighbours,
                            min_cosine=cfg.min_cosine, window_days=cfg.window_days)
    prob = score_pairs(ans, sorted(cands), linker=linker)
    groups = by_protagonist(groups_from_links(len(ans), prob, settings), lambda g: [ans[i] for i in g], settings)
    return newest_first([make_story([ans[i] for i in g]) for g in groups])
