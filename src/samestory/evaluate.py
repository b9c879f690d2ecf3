"""Measure samestory on the user's own labels: stories against gold story labels (BCubed and pairwise precision and
recall), or pair scores against gold pair scores (Pearson of Overall, per language pair)."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .clustering.training import bcubed
from .errors import InputError

__all__ = ["read_gold", "ClusterScores", "cluster_scores", "pair_correlations", "stories_assignment"]

_ARTICLE = ("article", "article_id", "id", "doc", "document")
_STORY = ("story", "story_id", "label", "cluster", "event", "gold")
_SCORE = ("score", "overall", "similarity", "gold")


@dataclass(frozen=True, slots=True)
class ClusterScores:
    articles: int  # labelled and assigned
    missing: int  # labelled, not assigned (not in the store or the stories file)
    gold_stories: int
    stories: int
    bcubed: tuple[float, float, float]  # precision, recall, F1
    pairwise: tuple[float, float, float]


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lower = {h.strip().lower(): h for h in header}
    return next((lower[n] for n in names if n in lower), None)


def read_gold(path: str | Path) -> tuple[str, dict[str, str] | list[tuple[str, str, float]]]:
    """A labels CSV: ("stories", article -> gold story) from columns article/id and story/label/event, or ("pairs",
    [(a, b, score)]) from columns a, b and score/overall. Raises InputError naming the columns it needs."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the labels '{path}': {getattr(exc, 'strerror', None) or exc}", code="SS110") from None
    header = list(rows[0]) if rows else []
    a, b, score = _column(header, ("a",)), _column(header, ("b",)), _column(header, _SCORE)
    if a and b and score:
        try:
            return "pairs", [(r[a].strip(), r[b].strip(), float(r[score])) for r in rows]
        except (TypeError, ValueError):
            raise InputError(f"the labels' column '{score}' must hold numbers", code="SS103") from None
    art, story = _column(header, _ARTICLE), _column(header, _STORY)
    if not (art and story):
        raise InputError("the labels need columns article and story (article id -> gold story), or a, b and score "
                         f"(pair scores); '{path}' has {', '.join(header) or 'no header'}", code="SS103")
    gold = {r[art].strip(): r[story].strip() for r in rows if r[art] and r[story]}
    if not gold:
        raise InputError(f"no labels in '{path}'", code="SS103")
    return "stories", gold


def stories_assignment(path: str | Path) -> dict[str, str]:
    """article -> story from a ``samestory cluster`` output (JSON lines, one story each)."""
    out = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    story = json.loads(line)
                    out.update({a: story["story"] for a in story["articles"]})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read stories from '{path}': {exc}", code="SS105") from None
    return out


def _pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision and recall over the pairs of articles put together (and put together by the gold)."""
    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    both = sum(pairs(n) for n in Counter((pred[i], gold[i]) for i in gold).values())
    predicted = sum(pairs(n) for n in Counter(pred[i] for i in gold).values())
    true = sum(pairs(n) for n in Counter(gold.values()).values())
    p = both / predicted if predicted else 1.0
    r = both / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_scores(pred: dict[str, str], gold: dict[str, str]) -> ClusterScores:
    """The stories ``pred`` (article -> story) against ``gold`` over the labelled articles that were assigned."""
    common = {i: g for i, g in gold.items() if i in pred}
    if not common:
        raise InputError("none of the labelled articles is in the stories measured (check the ids)", code="SS103")
    sub = {i: pred[i] for i in common}
    return ClusterScores(len(common), len(gold) - len(common), len(set(common.values())), len(set(sub.values())),
                         bcubed(sub, common), _pairwise(sub, common))


def pair_correlations(pred: Iterable[float], gold: Iterable[float], languages: Iterable[str]) -> dict[str, tuple[int, float]]:
    """Pearson of predicted and gold scores, over all pairs and per language pair: {name: (pairs, r)}."""
    pred, gold, languages = np.asarray(list(pred), float), np.asarray(list(gold), float), list(languages)
    groups: dict[str, list[int]] = defaultdict(list)
    for k, lang in enumerate(languages):
        groups[lang].append(k)

    def r(ix: list[int]) -> float:
        x, y = pred[ix], gold[ix]
        return float(np.corrcoef(x, y)[0, 1]) if len(ix) >= 3 and x.std() > 0 and y.std() > 0 else float("nan")

    out = {"all": (len(pred), r(list(range(len(pred)))))}
    out.update({lang: (len(ix), r(ix)) for lang, ix in sorted(groups.items())})
    return out
