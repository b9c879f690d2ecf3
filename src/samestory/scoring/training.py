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
import re
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

__all__ = ["DIMENSIONS", "LabelledPair", "load_semeval_pairs", "load_translated_pairs", "featurise", "is_dev", "fit_models",
           "pearson", "DEFAULT_DATA", "TRANSLATED_DATA"]

#: the seven SemEval dimensions, in the order the models are stored
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
_CSV_COLUMNS = {"overall": "Overall", "geography": "Geography", "entities": "Entities", "time": "Time",
                "narrative": "Narrative", "style": "Style", "tone": "Tone"}
DEFAULT_DATA = Path("../shared/data/semeval2022_task8/derived/hfl_sample_official_train_pairs.csv")
#: HFL's text files (their augmented rows: machine-translated copies of train pairs) and the official train gold
TRANSLATED_DATA = Path("../shared/data/semeval2022_task8/text_sample_hfl")
OFFICIAL_TRAIN_GOLD = Path("../shared/data/semeval2022_task8/gold/semeval-2022_task8_train-data_batch_2.csv")
_SUFFIX = re.compile(r"^(\d+)([a-z]*)$")
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

    @property
    def group(self) -> str:
        """The original pair behind it (a translated copy shares its original's group): folds split by group."""
        return "_".join(sorted(_SUFFIX.match(x).group(1) if _SUFFIX.match(x) else x for x in self.pair_id.split("_")))

    @property
    def languages(self) -> str:
        return f"{self.lang_a}-{self.lang_b}"


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


def load_translated_pairs(folder: str | Path = TRANSLATED_DATA, gold: str | Path = OFFICIAL_TRAIN_GOLD) -> list[LabelledPair]:
    """HFL's augmented pairs: train pairs with one or both articles machine-translated (into it, ru, zh, fr, es,
    en), in language pairs the 1,464 original pairs lack (it-it, ru-ru, zh-zh, zh-en, es-it, de-fr, pl-en, es-en,
    fr-fr). Pair ids carry the language of a translated side (``1484039360it_1484180228it``); the gold scores are
    the original pair's, from the official train file. A stand-in for the languages and language pairs of the
    official evaluation that training lacks; machine-translated text, and excerpts like the originals."""
    folder, gold = Path(folder), Path(gold)
    for path in (folder / "training_set.csv", folder / "testing_set.csv", gold):
        if not path.exists():
            raise InputError(f"SemEval data not found at '{path}'", code="SS107")
    scores: dict[str, dict[str, float]] = {}
    with gold.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            scores.setdefault(r["pair_id"], {dim: float(r[col]) for dim, col in _CSV_COLUMNS.items()})
    pairs, seen = [], set()
    for name in ("training_set.csv", "testing_set.csv"):
        with (folder / name).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                pid = r["pair_id"]
                sides = [_SUFFIX.match(x) for x in pid.split("_")]
                if pid in seen or not all(sides) or not any(m.group(2) for m in sides):
                    continue  # an original pair (those are in DEFAULT_DATA), or one seen already
                seen.add(pid)
                ida, idb = (m.group(1) for m in sides)
                got = scores.get(f"{ida}_{idb}") or scores.get(f"{idb}_{ida}")
                if got is None:
                    continue
                a = clean_one(article_from_dict({"id": sides[0].group(0), "text": r["text1"], "language": r["lang1"]}))
                b = clean_one(article_from_dict({"id": sides[1].group(0), "text": r["text2"], "language": r["lang2"]}))
                pairs.append(LabelledPair(pid, r["lang1"], r["lang2"], a, b, got))
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


#: features that only grow as the two articles grow alike (cosines, shares, overlaps): a scorer may be held to
#: read them so (monotone), which keeps it from learning a dip that only its training languages have
SIMILARITIES = frozenset({*FAMILIES["embedding"], *FAMILIES["alignment"], "opening_cos", "ent_matched", "ent_jaccard",
                          "ent_overlap", "per_jaccard", "per_overlap", "org_jaccard", "ent_weighted", "country_jaccard",
                          "country_top_same", "city_jaccard", "country_overlap", "days_jaccard", "num_jaccard",
                          "num_value_jaccard", "minhash_jaccard"})


def featurise_cached(pairs: Sequence[LabelledPair], settings: Settings, cache: Path | None, name: str) -> np.ndarray:
    """featurise()'s matrix, kept in ``cache`` (a folder; None: not kept) under a key of the pairs, their cleaned
    texts, the features and the version: a second run over the same pairs reads it (featurising the 2,432 pairs
    takes about half an hour here)."""
    import json

    from .. import __version__

    key = hashlib.sha1(json.dumps([__version__, FEATURE_NAMES_WITH_OPENING,
                                   [(p.pair_id, p.a.text, p.b.text) for p in pairs]]).encode()).hexdigest()[:16]
    path = Path(cache) / f"semeval-features-{name}-{key}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    X, _ = featurise(pairs, settings)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, X)
    return X


def _fit_blend(Xc: np.ndarray, y: np.ndarray, columns: Sequence[str], *, monotone: bool = False, trees: bool = True) -> tuple:
    import lightgbm as lgb
    from sklearn.linear_model import RidgeCV

    mean = Xc.mean(axis=0)
    scale = np.where(Xc.std(axis=0) > 1e-9, Xc.std(axis=0), 1.0)
    params = dict(PARAMS)
    if monotone:  # a score falls (more alike) as a similarity rises
        params["monotone_constraints"] = [-1 if c in SIMILARITIES else 0 for c in columns]
    booster = lgb.train(params, lgb.Dataset(Xc, label=y, feature_name=list(columns)), num_boost_round=ROUNDS) if trees else None
    lin = RidgeCV(alphas=np.logspace(-2, 3, 20)).fit((Xc - mean) / scale, y)
    ridge = {"mean": mean.tolist(), "scale": scale.tolist(), "coef": lin.coef_.tolist(), "intercept": float(lin.intercept_),
             "lo": Xc.min(axis=0).tolist(), "hi": Xc.max(axis=0).tolist()}
    return booster, ridge


def _blend(booster, ridge: dict, Xc: np.ndarray) -> np.ndarray:
    Xr = np.clip(Xc, np.asarray(ridge["lo"]), np.asarray(ridge["hi"]))
    lin = ((Xr - np.asarray(ridge["mean"])) / np.asarray(ridge["scale"])) @ np.asarray(ridge["coef"]) + ridge["intercept"]
    return lin if booster is None else (booster.predict(Xc) + lin) / 2


def fit_models(X: np.ndarray, Y: dict[str, np.ndarray], columns: Sequence[str] = FEATURE_NAMES, folds: int = 5, *,
               opening_embedder: str | None = None, monotone: bool = False, trees: bool = True) -> Scorer:
    """A scorer over ``columns`` of X (whose columns are FEATURE_NAMES_WITH_OPENING). Per dimension a LightGBM
    regressor and a ridge regression (averaged; the ridge alone where ``trees`` is off; the trees held monotone in
    the SIMILARITIES where ``monotone``), then a linear calibration; a LightGBM classifier for P(overall <= 2).
    ``opening_embedder``: the embedder of the opening vectors behind ``opening_cos``, when ``columns`` hold it.

    Averaging two regressors shrinks scores towards the mean; the calibration ``a + b * blend`` is fitted on
    out-of-fold predictions of the training set (never on dev), which restores the 1-4 spread and leaves
    Pearson as it is.
    """
    import lightgbm as lgb

    idx = [FEATURE_NAMES_WITH_OPENING.index(c) for c in columns]
    Xc = X[:, idx]
    fold_of = np.arange(len(Xc)) % folds
    boosters, ridge = {}, {}
    for dim in (d for d in DIMENSIONS if d in Y):
        oof = np.zeros(len(Xc))
        for k in range(folds):
            fit, held = fold_of != k, fold_of == k
            b, r = _fit_blend(Xc[fit], Y[dim][fit], columns, monotone=monotone, trees=trees)
            oof[held] = _blend(b, r, Xc[held])
        slope, intercept = np.polyfit(oof, Y[dim], 1)
        boosters[dim], ridge[dim] = _fit_blend(Xc, Y[dim], columns, monotone=monotone, trees=trees)
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


#: the recipes of a scorer, by name: fit(X, Y) -> Scorer, X's columns FEATURE_NAMES_WITH_OPENING
_GENERAL = [*FAMILIES["embedding"], *FAMILIES["alignment"], "opening_cos", "num_value_jaccard", "country_jaccard",
            "country_overlap", "country_top_same", "days_jaccard"]
RECIPES = {
    "shipped": lambda X, Y: fit_models(X, Y, FEATURE_NAMES_WITH_OPENING),
    "monotone": lambda X, Y: fit_models(X, Y, FEATURE_NAMES_WITH_OPENING, monotone=True),
    "general": lambda X, Y: fit_models(X, Y, _GENERAL, monotone=True),
    "linear": lambda X, Y: fit_models(X, Y, _GENERAL, trees=False),
}
