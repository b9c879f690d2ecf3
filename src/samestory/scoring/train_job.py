"""The training job behind ``samestory train`` and ``scripts/train_scorer.py``: fit, measure, save."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..settings import load_settings
from .features import FAMILIES, FEATURE_NAMES
from .model import MODEL_DIR
from .training import (
    DEFAULT_DATA,
    DIMENSIONS,
    family_columns,
    featurise,
    fit_models,
    is_dev,
    load_semeval_pairs,
    pearson,
)

__all__ = ["train_and_report"]


def _table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(h)), *(len(f"{r[i]:.3f}" if isinstance(r[i], float) else str(r[i])) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join((f"{c:.3f}" if isinstance(c, float) else str(c)).ljust(w) for c, w in zip(r, widths)))


def _predict(scorer, X: np.ndarray, columns: list[str]) -> dict[str, np.ndarray]:
    return scorer.predict(X[:, [FEATURE_NAMES.index(c) for c in columns]])


def train_and_report(data: str | Path | None = None, *, save: bool = True, out_dir: str | Path | None = None) -> int:
    t0 = time.perf_counter()
    pairs = load_semeval_pairs(data or DEFAULT_DATA)
    X, duo = featurise(pairs, load_settings())
    print(f"{len(pairs)} pairs cleaned, analysed and featurised in {time.perf_counter() - t0:.0f} s")
    Y = {dim: np.array([p.gold[dim] for p in pairs]) for dim in DIMENSIONS}
    dev = np.array([is_dev(p.pair_id) for p in pairs])
    tr = ~dev
    models = fit_models(X[tr], {d: y[tr] for d, y in Y.items()})
    pred = _predict(models, X[dev], FEATURE_NAMES)
    zero_shot = X[dev][:, FEATURE_NAMES.index("doc_cos")]
    rows = [[dim, pearson(-pred[dim], -Y[dim][dev]), pearson(zero_shot, -Y[dim][dev])] for dim in DIMENSIONS]
    _table(f"dev split: {int(dev.sum())} pairs (trained on {int(tr.sum())}); Pearson, higher is better",
           ["dimension", "samestory", "zero-shot cosine"], rows)
    by_lang = defaultdict(list)
    for k, p in enumerate(np.array(pairs, dtype=object)[dev]):
        by_lang[f"{p.lang_a}-{p.lang_b}"].append(k)
    lang_rows = [[lp, len(ix), pearson(-pred["overall"][ix], -Y["overall"][dev][ix]), pearson(zero_shot[ix], -Y["overall"][dev][ix])]
                 for lp, ix in sorted(by_lang.items())]
    _table("dev split, Overall per language pair", ["languages", "pairs", "samestory", "zero-shot"], lang_rows)
    ablation = []
    for fam in FAMILIES:
        cols = family_columns(without=fam)
        m = fit_models(X[tr], {d: y[tr] for d, y in Y.items()}, cols, folds=2)
        r_without = pearson(-_predict(m, X[dev], cols)["overall"], -Y["overall"][dev])
        cols = family_columns(only=fam)
        m = fit_models(X[tr], {d: y[tr] for d, y in Y.items()}, cols, folds=2)
        r_only = pearson(-_predict(m, X[dev], cols)["overall"], -Y["overall"][dev])
        ablation.append([fam, len(FAMILIES[fam]), r_without, r_only])
    _table("ablation on dev, Overall Pearson: all families but one / that family alone",
           ["family", "features", "without it", "only it"], ablation)
    same = models.probability(X[dev])
    brier = float(np.mean((same - (Y["overall"][dev] <= 2)) ** 2))
    mae = float(np.mean(np.abs(pred["overall"] - Y["overall"][dev])))
    print(f"\nP(overall <= 2): Brier score {brier:.3f} on dev; Overall mean absolute error {mae:.3f}")
    report = {
        "pairs": len(pairs),
        "dev_pairs": int(dev.sum()),
        "dev_pearson": {r[0]: r[1] for r in rows},
        "dev_zero_shot_pearson": {r[0]: r[2] for r in rows},
        "dev_overall_by_language_pair": {r[0]: {"pairs": r[1], "pearson": r[2], "zero_shot": r[3]} for r in lang_rows},
        "ablation_overall": {r[0]: {"without": r[2], "only": r[3]} for r in ablation},
        "dev_brier_same_story": brier,
        "dev_overall_mae": mae,
        "features": FEATURE_NAMES,
    }
    if save:
        out = Path(out_dir) if out_dir else MODEL_DIR
        fit_models(X, Y).save(out, {k: v for k, v in report.items() if k != "features"})
        print(f"saved the scorer (trained on all {len(pairs)} pairs) to {out}")
    return 0
