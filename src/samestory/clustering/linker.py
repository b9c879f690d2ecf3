"""The link verifier: P(two candidate articles belong to one story).

The pair scorer answers SemEval's question (how similar are two articles, 1-4); a story
needs a stricter one: the same event, not the same kind of event. The linker is a LightGBM
classifier over the scorer's pair features, the scorer's own seven scores and probability,
who the articles are about, and the evidence of their event signatures (``scoring.evidence``:
incident days, places, ages, counts, rare words), trained by ``scripts/train_linker.py`` on
ECB+ train (gold events), the gun-violence incidents of its training weeks (look-alike events
of the same days) and the SemEval train split. Its probability is the one meaning of "same
story" everywhere: ``compare``, the clusterer, the CLI, the API and the pages. Shipped as a
LightGBM text model: no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..analysis.matching import EntityIndex, EntityMatch, match_entities
from ..errors import ModelError
from ..records import Analysis, Entity
from ..scoring.evidence import EVIDENCE_FEATURES, Signed, contradicted, evidence_features
from ..scoring.features import FEATURE_NAMES, feature_matrix
from ..scoring.model import DIMENSIONS, load_scorer
from .candidates import ROUND

__all__ = ["ACTOR_FEATURES", "LINKER_DIR", "LINK_FEATURES", "actor_features", "link_features", "link_probabilities", "load_linker"]

LINKER_DIR = Path(__file__).parent / "model"
# who the story is about: look-alike events of one topic (two DUI arrests of one team's players)
# share places, organisations and vocabulary and differ in their central people
ACTOR_FEATURES = ["main_per_matched", "main_per_mentions", "top_actors_matched"]
LINK_FEATURES: list[str] = [*FEATURE_NAMES, *(f"scorer_{d}" for d in DIMENSIONS), "scorer_probability", *ACTOR_FEATURES,
                            *EVIDENCE_FEATURES]


def _ranked(entities, labels: tuple[str, ...]) -> list[Entity]:
    return sorted((e for e in entities if e.label in labels), key=lambda e: (-e.mentions, e.key))


class _Actors:
    """One article as the linker's own features read it: its entity index, its people ranked by mentions,
    its people and organisations ranked, and its signature as the evidence reads it. Built once per article
    when it is in many pairs."""

    __slots__ = ("actors", "index", "people", "signed")

    def __init__(self, an: Analysis) -> None:
        self.index = EntityIndex(an)
        self.people = _ranked(an.entities, ("PER",))
        self.actors = _ranked(an.entities, ("PER", "ORG"))
        self.signed = Signed(an)


def actor_features(a: Analysis, b: Analysis, match: EntityMatch, sides: tuple[_Actors, _Actors] | None = None) -> list[float]:
    """Symmetric: is each side's most-mentioned person named by the other (the worse side; -1 without a
    person on a side), how often the less-mentioned of the two main people is named (log), and the
    smaller share of each side's top three people/organisations that the other names. ``sides``: the two
    articles' ``_Actors``, when the caller keeps them."""
    sa, sb = sides if sides is not None else (_Actors(a), _Actors(b))
    in_a = {id(x) for x, _ in match.matched}
    in_b = {id(y) for _, y in match.matched}
    per_a, per_b = sa.people, sb.people
    if per_a and per_b:
        main = float(min(id(per_a[0]) in in_a, id(per_b[0]) in in_b))
        mentions = float(np.log1p(min(per_a[0].mentions, per_b[0].mentions)))
    else:
        main, mentions = -1.0, 0.0
    shares = []
    for side, seen in ((sa, in_a), (sb, in_b)):
        top = side.actors[:3]
        shares.append(sum(id(e) in seen for e in top) / len(top) if top else -1.0)
    return [main, mentions, min(shares)]


def _sides(pairs: Sequence[tuple[Analysis, Analysis]]) -> list[tuple[_Actors, _Actors]]:
    """Each pair's two ``_Actors``: an article in many pairs is read once."""
    sides: dict[int, _Actors] = {}
    for an in (x for pair in pairs for x in pair):
        if id(an) not in sides:
            sides[id(an)] = _Actors(an)
    return [(sides[id(a)], sides[id(b)]) for a, b in pairs]


def link_features(pairs: Sequence[tuple[Analysis, Analysis]], duo: Sequence[tuple[_Actors, _Actors]] | None = None) -> np.ndarray:
    """Rows of LINK_FEATURES for candidate pairs (``duo``: their ``_sides``, when the caller has them)."""
    if not pairs:
        return np.zeros((0, len(LINK_FEATURES)))
    duo = _sides(pairs) if duo is None else duo
    matches = [match_entities(a, b, indexes=(sa.index, sb.index)) for (a, b), (sa, sb) in zip(pairs, duo)]
    X = feature_matrix(pairs, [(m, None) for m in matches])
    scorer = load_scorer()
    preds = scorer.predict(X)
    extra = np.column_stack([*(preds[d] for d in DIMENSIONS), scorer.probability(X)])
    actors = np.array([actor_features(a, b, m, d) for (a, b), m, d in zip(pairs, matches, duo)], dtype=np.float64)
    evidence = np.array([evidence_features(a, b, (sa.signed, sb.signed)) for (a, b), (sa, sb) in zip(pairs, duo)], dtype=np.float64)
    return np.hstack([X, extra, actors, evidence])


@lru_cache(maxsize=2)
def load_linker(directory: str | None = None):
    import lightgbm as lgb

    path = Path(directory) if directory else LINKER_DIR
    try:
        meta = json.loads((path / "linker.json").read_text())
        booster = lgb.Booster(model_str=(path / "linker.txt").read_text())
    except (OSError, ValueError, lgb.basic.LightGBMError) as exc:
        raise ModelError(f"cannot load the story linker from '{path}': {exc}; rebuild it with scripts/train_linker.py", code="SS404") from None
    if meta.get("features") != LINK_FEATURES:
        raise ModelError(f"the linker in '{path}' was trained on other features; rebuild it with scripts/train_linker.py", code="SS405")
    return booster


CONTRADICTED = 0.05  # the most a pair whose event signatures contradict each other gets (``evidence.contradicted``)


def link_probabilities(pairs: Sequence[tuple[Analysis, Analysis]], *, linker=None) -> np.ndarray:
    """P(same story) per pair, rounded to 1e-6 (identical texts: 1.0; signatures that contradict each other: at
    most ``CONTRADICTED``); ``linker``: a booster other than the shipped one."""
    if not pairs:
        return np.zeros(0)
    duo = _sides(pairs)
    p = (linker or load_linker()).predict(link_features(pairs, duo))
    for k, ((a, b), (sa, sb)) in enumerate(zip(pairs, duo)):
        if a.article.content_hash == b.article.content_hash and a.article.text.strip():
            p[k] = 1.0
        elif contradicted(a, b, (sa.signed, sb.signed)):
            p[k] = min(p[k], CONTRADICTED)
    return np.round(p, ROUND)
