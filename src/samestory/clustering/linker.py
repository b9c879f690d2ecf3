"""The link verifier: P(two candidate articles belong to one story).

The pair scorer answers SemEval's question (how similar are two articles, 1-4); a story
needs a stricter one: the same event, not the same kind of event. The linker is a LightGBM
classifier over the scorer's pair features plus the scorer's own seven scores and
probability, trained by ``scripts/train_linker.py`` on ECB+ train (gold events) and the
SemEval train split. Shipped as a LightGBM text model: no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..records import Analysis
from ..scoring.features import FEATURE_NAMES, feature_matrix
from ..scoring.model import DIMENSIONS, load_scorer
from .candidates import ROUND

__all__ = ["LINK_FEATURES", "link_features", "link_probabilities", "load_linker", "LINKER_DIR"]

LINKER_DIR = Path(__file__).parent / "model"
LINK_FEATURES: list[str] = [*FEATURE_NAMES, *(f"scorer_{d}" for d in DIMENSIONS), "scorer_probability"]


def link_features(pairs: Sequence[tuple[Analysis, Analysis]]) -> np.ndarray:
    """Rows of LINK_FEATURES for candidate pairs."""
    X = feature_matrix(pairs)
    if not len(X):
        return np.zeros((0, len(LINK_FEATURES)))
    scorer = load_scorer()
    preds = scorer.predict(X)
    extra = np.column_stack([*(preds[d] for d in DIMENSIONS), scorer.probability(X)])
    return np.hstack([X, extra])


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


def link_probabilities(pairs: Sequence[tuple[Analysis, Analysis]], *, linker=None) -> np.ndarray:
    """P(same story) per pair, rounded to 1e-6 (identical texts: 1.0); ``linker``: a booster other than the shipped one."""
    if not pairs:
        return np.zeros(0)
    p = (linker or load_linker()).predict(link_features(pairs))
    for k, (a, b) in enumerate(pairs):
        if a.article.content_hash == b.article.content_hash and a.article.text.strip():
            p[k] = 1.0
    return np.round(p, ROUND)
