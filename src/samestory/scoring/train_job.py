"""The training job behind ``samestory train`` and ``scripts/train_scorer.py``: fit, measure, save."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..settings import load_settings
from .features import FAMILIES, FEATURE_NAMES, FEATURE_NAMES_WITH_OPENING
from .model import MODEL_DIR
from .training import (
    DEFAULT_DATA,
    DIMENSIONS,
    family_columns,
    featurise,
    fit_models,
    is_dev,
    load_semeval_pairs,
    opening_embedder,
    pearson,
)

__all__ = ["train_and_report"]


def _table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(h)), *(len(f"{r[i]:.3f}" if isinstance(r[i], float) else str(r[i])) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join((f"{c:.3f}" if isinstance(c, float) else str(c)).ljust(w) for c, w in zip(r, widths)))


def _columns(X: np.ndarray, names: list[str]) -> np.ndarray:
    """The named columns of a featurise() matrix (whose columns are FEATURE_NAMES_WITH_OPENING)."""
    return X[:, [FEATURE_NAMES_WITH_OPENING.index(c) for c in names]]


def _predict(scorer, X: np.ndarray) -> dict[str, np.ndarray]:
    return scorer.predict(_columns(X, scorer.features))


def _report(name: str, columns: list[str], X, Y, pairs, dev, *, opening: bool) -> dict:
    """Fit on train, print the dev tables of one scorer (per dimension, per language pair, ablation)."""
    tr = ~dev
    models = fit_models(X[tr], {d: y[tr] for d, y in Y.items()}, columns)
    pred = _predict(models, X[dev])
    zero = {c: _columns(X[dev], [c])[:, 0] for c in ("doc_cos", "opening_cos")}
    rows = [[dim, pearson(-pred[dim], -Y[dim][dev]), *(pearson(z, -Y[dim][dev]) for z in zero.values())] for dim in DIMENSIONS]
    _table(f"{name}: dev split, {int(dev.sum())} pairs (trained on {int(tr.sum())}); Pearson, higher is better",
           ["dimension", "samestory", "zero-shot USE cosine", "zero-shot opening cosine"], rows)
    by_lang = defaultdict(list)
    for k, p in enumerate(np.array(pairs, dtype=object)[dev]):
        by_lang[f"{p.lang_a}-{p.lang_b}"].append(k)
    gold = -Y["overall"][dev]
    lang_rows = [[lp, len(ix), pearson(-pred["overall"][ix], gold[ix]), *(pearson(z[ix], gold[ix]) for z in zero.values())]
                 for lp, ix in sorted(by_lang.items())]
    _table(f"{name}: dev split, Overall per language pair", ["languages", "pairs", "samestory", "USE", "opening"], lang_rows)
    ablation = []
    families = [*FAMILIES, "opening"] if opening else list(FAMILIES)
    for fam in families:
        scores = []
        for cols in (family_columns(without=fam, opening=opening), family_columns(only=fam, opening=opening)):
            m = fit_models(X[tr], {d: y[tr] for d, y in Y.items()}, cols, folds=2)
            scores.append(pearson(-_predict(m, X[dev])["overall"], gold))
        ablation.append([fam, len(family_columns(only=fam, opening=opening)), *scores])
    _table(f"{name}: ablation on dev, Overall Pearson: all families but one / that family alone",
           ["family", "features", "without it", "only it"], ablation)
    same = models.probability(_columns(X[dev], columns))
    brier = float(np.mean((same - (Y["overall"][dev] <= 2)) ** 2))
    mae = float(np.mean(np.abs(pred["overall"] - Y["overall"][dev])))
    print(f"\n{name}: P(overall <= 2): Brier score {brier:.3f} on dev; Overall mean absolute error {mae:.3f}")
    return {
        "pairs": len(pairs),
        "dev_pairs": int(dev.sum()),
        "dev_pearson": {r[0]: r[1] for r in rows},
        "dev_zero_shot_pearson": {r[0]: r[2] for r in rows},
        "dev_zero_shot_opening_pearson": {r[0]: r[3] for r in rows},
        "dev_overall_by_language_pair": {r[0]: {"pairs": r[1], "pearson": r[2], "zero_shot": r[3], "zero_shot_opening": r[4]}
                                         for r in lang_rows},
        "ablation_overall": {r[0]: {"without": r[2], "only": r[3]} for r in ablation},
        "dev_brier_same_story": brier,
        "dev_overall_mae": mae,
    }


def train_and_report(data: str | Path | None = None, *, save: bool = True, out_dir: str | Path | None = None) -> int:
    """Both scorers: the base one (``model/``) and the one that reads the opening vectors (``model/opening/``)."""
    t0 = time.perf_counter()
    settings = load_settings()
    pairs = load_semeval_pairs(data or DEFAULT_DATA)
    X, duo = featurise(pairs, settings)
    print(f"{len(pairs)} pairs cleaned, analysed and featurised in {time.perf_counter() - t0:.0f} s")
    Y = {dim: np.array([p.gold[dim] for p in pairs]) for dim in DIMENSIONS}
    dev = np.array([is_dev(p.pair_id) for p in pairs])
    embedder = opening_embedder(settings)
    reports = {}
    for name, columns, opening in (("base scorer", FEATURE_NAMES, False),
                                   (f"scorer with the opening ({embedder})", FEATURE_NAMES_WITH_OPENING, True)):
        reports[opening] = _report(name, columns, X, Y, pairs, dev, opening=opening)
    if save:
        out = Path(out_dir) if out_dir else MODEL_DIR
        for opening, columns in ((False, FEATURE_NAMES), (True, FEATURE_NAMES_WITH_OPENING)):
            scorer = fit_models(X, Y, columns, opening_embedder=embedder if opening else None)
            scorer.save(out / "opening" if opening else out, reports[opening])
        print(f"saved both scorers (trained on all {len(pairs)} pairs) to {out} and {out / 'opening'}")
    return 0
