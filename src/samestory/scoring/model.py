"""The shipped scorer: per dimension, the mean of a LightGBM regressor and a ridge regression
(standardised features); a LightGBM classifier for P(overall <= 2). Stored as LightGBM text
models and JSON weights inside the package: no pickle. Two are shipped: one over the base
features (``model/``: the clusterer's, and ``compare``'s for a pair without opening vectors)
and one that also reads the opening vectors' cosine (``model/opening/``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError

__all__ = ["Scorer", "load_scorer", "MODEL_DIR"]

MODEL_DIR = Path(__file__).parent / "model"
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")


class Scorer:
    def __init__(self, boosters: dict, ridge: dict[str, dict], features: list[str], opening_embedder: str | None = None) -> None:
        self.boosters = boosters
        self.ridge = ridge
        self.features = features
        self.opening_embedder = opening_embedder  # the embedder of the opening vectors it was trained on, if it reads them

    def predict(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Scores on the 1-4 scale (1 = very similar) for each dimension."""
        out = {}
        for dim in (d for d in DIMENSIONS if d in self.ridge):
            r = self.ridge[dim]
            # a linear model must not extrapolate: features are clipped to the range seen in training
            Xc = np.clip(X, np.asarray(r["lo"]), np.asarray(r["hi"]))
            lin = ((Xc - np.asarray(r["mean"])) / np.asarray(r["scale"])) @ np.asarray(r["coef"]) + r["intercept"]
            a, b = r.get("calibration", (0.0, 1.0))
            booster = self.boosters.get(dim)
            blend = lin if booster is None else (booster.predict(X) + lin) / 2
            out[dim] = np.clip(a + b * blend, 1.0, 4.0)
        return out

    def probability(self, X: np.ndarray) -> np.ndarray:
        """P(overall <= 2): the two articles tell the same story."""
        return self.boosters["same_story"].predict(X)

    def save(self, directory: Path, meta: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, booster in self.boosters.items():
            (directory / f"{name}.txt").write_text(booster.model_to_string())
        (directory / "ridge.json").write_text(json.dumps(self.ridge))
        meta = {**meta, "features": self.features, "opening_embedder": self.opening_embedder}
        (directory / "meta.json").write_text(json.dumps(meta, indent=2))


@lru_cache(maxsize=4)
def load_scorer(directory: str | None = None, *, opening: bool = False) -> Scorer:
    """The scorer shipped in the package (or one saved by ``samestory train --out``); ``opening``: the one
    that also reads the cosine of the opening vectors (saved in the ``opening`` folder beside the other)."""
    import lightgbm as lgb

    path = (Path(directory) if directory else MODEL_DIR) / ("opening" if opening else "")
    try:
        meta = json.loads((path / "meta.json").read_text())
        ridge = json.loads((path / "ridge.json").read_text())
        boosters = {name: lgb.Booster(model_str=(path / f"{name}.txt").read_text()) for name in (*DIMENSIONS, "same_story")}
    except (OSError, ValueError, lgb.basic.LightGBMError) as exc:
        raise ModelError(f"cannot load the scorer from '{path}': {exc}; rebuild it with 'samestory train'", code="SS402") from None
    from .features import FEATURE_NAMES, FEATURE_NAMES_WITH_OPENING

    if meta.get("features") != (FEATURE_NAMES_WITH_OPENING if opening else FEATURE_NAMES):
        raise ModelError(f"the scorer in '{path}' was trained on other features; rebuild it with 'samestory train'", code="SS403")
    return Scorer(boosters, ridge, meta["features"], meta.get("opening_embedder"))
