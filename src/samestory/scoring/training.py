"""Train the pair scorer on SemEval-2022 Task 8 pairs and measure it on a held-out dev split.

The data: ``../shared/data/semeval2022_task8/derived/hfl_sample_official_train_pairs.csv``
(1,464 official train pairs with text, 7 gold scores each). The dev split is by pair id
(``sha1(pair_id) % 5 == 0``, about 20%), never trained on. Texts are cleaned and analysed
with the package's own stages, so training sees what ``compare`` sees; each article also gets its
opening vector (``analysis.opening``), for the scorer that reads it.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..analysis import analyse_all
from ..analysis.opening import with_openings
from ..articles import article_from_dict
from ..cleaning import clean_one
from ..errors import InputError
from ..records import Analysis, Article
from ..settings import ScoreSettings, Settings, load_settings
from .features import FAMILIES, FEATURE_NAMES, FEATURE_NAMES_WITH_OPENING, OPENING_FEATURES, feature_matrix
from .model import Scorer

__all__ = ["DIMENSIONS", "LabelledPair", "load_semeval_pairs", "featurise", "is_dev", "fit_models", "pearson", "DEFAULT_DATA"]

#: the seven SemEval dimensions, in the order the models are stored
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
_CSV_COLUMNS = {"overall": "Overall", "geography": "Geography", "entities": "Entities", "time": "Time",
                "narrative": "Narrative", "style": "Style", "tone": "Tone"}
DEFAULT_DATA = Path("../shared/data/semeval2022_task8/derived/hfl_sample_official_train_pairs.csv")
PARAMS = {
    "objective": "regression",
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "seed": 7,
    "deterministic": True,
    "num_threads": 2,
}
ROUNDS = 300


@dataclass(frozen=True, slots=True)
class LabelledPair:
    pair_id: str
    lang_a: str
    lang_b: str
    a: Article
    b: Article
    gold: dict[str, float]


def is_dev(pair_id: str) -> bool:
    return int(hashlib.sha1(pair_id.encode()).hexdigest(), 16) % 5 == 0


def load_semeval_pairs(path: str | Path = DEFAULT_DATA) -> list[LabelledPair]:
    path = Path(path)
    if not path.exists():
        raise InputError(f"SemEval pairs not found at '{path}'; pass --data PATH", code="SS107")
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ida, idb = r["pair_id"].split("_")
            a = clean_one(article_from_dict({"id": ida, "text": r["text1"], "language": r["url1_lang"]}))
            b = clean_one(article_from_dict({"id": idb, "text": r["text2"], "language": r["url2_lang"]}))
            gold = {dim: float(r[col]) for dim, col in _CSV_COLUMNS.items()}
            pairs.append(LabelledPair(r["pair_id"], r["url1_lang"], r["url2_lang"], a, b, gold))
    return pairs


def opening_embedder(settings: Settings) -> str:
    """The opening embedder a scorer is trained with: the one the settings name (the default where they turn it off)."""
    return settings.score.opening_embedder or ScoreSettings().opening_embedder


def featurise(pairs: Sequence[LabelledPair], settings: Settings | None = None) -> tuple[np.ndarray, list[tuple[Analysis, Analysis]]]:
    """Feature matrix (rows = pairs, columns = FEATURE_NAMES_WITH_OPENING) and the analyses behind it."""
    settings = settings or load_settings()
    unique: dict[str, Article] = {}
    for p in pairs:
        unique.setdefault(p.a.id, p.a)
        unique.setdefault(p.b.id, p.b)
    analysed = list(analyse_all(list(unique.values()), settings=settings))
    analyses = {an.id: an for an in with_openings(analysed, opening_embedder(settings))}
    duo = [(analyses[p.a.id], analyses[p.b.id]) for p in pairs]
    X = feature_matrix(duo, names=FEATURE_NAMES_WITH_OPENING)
    return X, duo


def _fit_blend(Xc: np.ndarray, y: np.ndarray, columns: Sequence[str]) -> tuple:
    import lightgbm as lgb
    from sklearn.linear_model import RidgeCV

    mean = Xc.mean(axis=0)
    scale = np.where(Xc.std(axis=0) > 1e-9, Xc.std(axis=0), 1.0)
    booster = lgb.train(PARAMS, lgb.Dataset(Xc, label=y, feature_name=list(columns)), num_boost_round=ROUNDS)
    lin = RidgeCV(alphas=np.logspace(-2, 3, 20)).fit((Xc - mean) / scale, y)
    ridge = {"mean": mean.tolist(), "scale": scale.tolist(), "coef": lin.coef_.tolist(), "intercept": float(lin.intercept_),
             "lo": Xc.min(axis=0).tolist(), "hi": Xc.max(axis=0).tolist()}
    return booster, ridge


def _blend(booster, ridge: dict, Xc: np.ndarray) -> np.ndarray:
    Xr = np.clip(Xc, np.asarray(ridge["lo"]), np.asarray(ridge["hi"]))
    lin = ((Xr - np.asarray(ridge["mean"])) / np.asarray(ridge["scale"])) @ np.asarray(ridge["coef"]) + ridge["intercept"]
    return (booster.predict(Xc) + lin) / 2


def fit_models(X: np.ndarray, Y: dict[str, np.ndarray], columns: Sequence[str] = FEATURE_NAMES, folds: int = 5, *,
               opening_embedder: str | None = None) -> Scorer:
    """A scorer over ``columns`` of X (whose columns are FEATURE_NAMES_WITH_OPENING). Per dimension a LightGBM
    regressor and a ridge regression (averaged), then a linear calibration; a LightGBM classifier for P(overall <= 2).
    ``opening_embedder``: the embedder of the opening vectors behind ``opening_cos``, when ``columns`` hold it.

    The blend was chosen by measurement on the dev split (it beat LightGBM alone, ridge alone,
    HistGradientBoosting and an SVR; see the README). Averaging two regressors shrinks scores towards
    the mean; the calibration ``a + b * blend`` is fitted on out-of-fold predictions of the training
    set (never on dev), which restores the 1-4 spread and leaves Pearson as it is.
    """
    import lightgbm as lgb

    idx = [FEATURE_NAMES_WITH_OPENING.index(c) for c in columns]
    Xc = X[:, idx]
    fold_of = np.arange(len(Xc)) % folds
    boosters, ridge = {}, {}
    for dim in DIMENSIONS:
        oof = np.zeros(len(Xc))
        for k in range(folds):
            fit, held = fold_of != k, fold_of == k
            b, r = _fit_blend(Xc[fit], Y[dim][fit], columns)
            oof[held] = _blend(b, r, Xc[held])
        slope, intercept = np.polyfit(oof, Y[dim], 1)
        boosters[dim], ridge[dim] = _fit_blend(Xc, Y[dim], columns)
        ridge[dim]["calibration"] = [float(intercept), float(slope)]
    ds = lgb.Dataset(Xc, label=(Y["overall"] <= 2).astype(float), feature_name=list(columns))
    boosters["same_story"] = lgb.train({**PARAMS, "objective": "binary"}, ds, num_boost_round=ROUNDS)
    return Scorer(boosters, ridge, list(columns), opening_embedder)


def pearson(pred: np.ndarray, gold: np.ndarray) -> float:
    if len(pred) < 3 or np.std(pred) == 0 or np.std(gold) == 0:
        return float("nan")
    return float(np.corrcoef(pred, gold)[0, 1])


def family_columns(without: str | None = None, only: str | None = None, *, opening: bool = False) -> list[str]:
    """Columns of the families (with the ``opening`` one, when asked), but one or only one."""
    families = {**FAMILIES, "opening": OPENING_FEATURES} if opening else FAMILIES
    if only:
        return list(families[only])
    return [c for fam, cols in families.items() if fam != without for c in cols]
