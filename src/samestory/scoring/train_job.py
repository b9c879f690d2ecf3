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
    TRANSLATED_DATA,
    family_columns,
    featurise_cached,
    fit_models,
    is_dev,
    load_semeval_pairs,
    load_translated_pairs,
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


def _translated_dev(p) -> bool:
    """A translated pair is on the dev side when its original pair is (in either order)."""
    a, b = p.group.split("_")
    return is_dev(f"{a}_{b}") or is_dev(f"{b}_{a}")


def train_and_report(data: str | Path | None = None, *, save: bool = True, out_dir: str | Path | None = None,
                     translated: str | Path | None = TRANSLATED_DATA, scorers: str = "both",
                     cache: str | Path | None = None) -> int:
    """Both scorers: the base one (``model/``) and the one that reads the opening vectors (``model/opening/``);
    ``scorers`` "opening" or "base" measures and saves only that one. Trained on the original pairs and, where
    ``translated`` (HFL's folder) exists, on their machine-translated copies (it, ru, zh and cross-lingual pairs the
    originals lack); a translated pair whose original is on the dev side stays out of training. ``cache``: a folder
    where the feature matrices are kept between runs (``featurise_cached``)."""
    t0 = time.perf_counter()
    settings = load_settings()
    original = load_semeval_pairs(data or DEFAULT_DATA)
    more = load_translated_pairs(translated) if translated and Path(translated).exists() else []
    pairs = original + more
    X = np.vstack([featurise_cached(original, settings, cache, "original"),
                   *([featurise_cached(more, settings, cache, "translated")] if more else [])])
    print(f"{len(original)} original and {len(more)} translated pairs cleaned, analysed and featurised in {time.perf_counter() - t0:.0f} s")
    Y = {dim: np.array([p.gold[dim] for p in pairs]) for dim in DIMENSIONS}
    n = len(original)
    dev = np.array([is_dev(p.pair_id) for p in original] + [_translated_dev(p) for p in more])
    dev_original = dev.copy()
    dev_original[n:] = False  # the dev tables read the original dev pairs; translated dev pairs are reported apart
    embedder = opening_embedder(settings)
    reports = {}
    for name, columns, opening in (("base scorer", FEATURE_NAMES, False),
                                   (f"scorer with the opening ({embedder})", FEATURE_NAMES_WITH_OPENING, True)):
        if scorers != "both" and scorers != ("opening" if opening else "base"):
            continue
        keep = ~dev | dev_original  # train on ~dev; report on the original dev pairs
        reports[opening] = _report(name, columns, X[keep], {d: y[keep] for d, y in Y.items()},
                                   [p for p, k in zip(pairs, keep) if k], dev_original[keep], opening=opening)
        if more:
            reports[opening]["dev_translated"] = _translated_report(name, columns, X, Y, pairs, dev, n)
        reports[opening]["trained_on"] = {"original": int((~dev[:n]).sum()), "translated": int((~dev[n:]).sum())}
    if save:
        out = Path(out_dir) if out_dir else MODEL_DIR
        for opening, columns in ((False, FEATURE_NAMES), (True, FEATURE_NAMES_WITH_OPENING)):
            if opening not in reports:
                continue
            scorer = fit_models(X, Y, columns, opening_embedder=embedder if opening else None)
            reports[opening]["saved_trained_on"] = {"original": n, "translated": len(more)}
            scorer.save(out / "opening" if opening else out, reports[opening])
        print(f"saved the scorers (trained on all {len(pairs)} pairs) to {out}")
    return 0


def _translated_report(name: str, columns: list[str], X, Y, pairs, dev, n: int) -> dict:
    """The translated dev pairs (their originals on the dev side), per language pair, beside the zero-shot cosines."""
    tr = ~dev
    models = fit_models(X[tr], {"overall": Y["overall"][tr]}, columns)
    idx = np.flatnonzero(dev[n:]) + n
    pred = _predict(models, X[idx])["overall"]
    gold = -Y["overall"][idx]
    zero = {c: _columns(X[idx], [c])[:, 0] for c in ("doc_cos", "opening_cos")}
    by_lang = defaultdict(list)
    for k, i in enumerate(idx):
        by_lang[f"{pairs[i].lang_a}-{pairs[i].lang_b}"].append(k)
    rows = [[lp, len(ix), pearson(-pred[ix], gold[ix]), *(pearson(z[ix], gold[ix]) for z in zero.values())]
            for lp, ix in sorted(by_lang.items())]
    rows.append(["all", len(idx), pearson(-pred, gold), *(pearson(z, gold) for z in zero.values())])
    _table(f"{name}: translated dev pairs (machine-translated copies of dev pairs), Overall",
           ["languages", "pairs", "samestory", "USE", "opening"], rows)
    return {r[0]: {"pairs": r[1], "pearson": r[2], "zero_shot": r[3], "zero_shot_opening": r[4]} for r in rows}
