"""Rebuild the shipped story linker and print what it was tuned to.

    .venv/bin/python scripts/train_linker.py [--semeval PATH] [--cache DB] [--no-save]

Fits the linker (samestory.clustering.training) on ECB+ train candidate pairs from
demo/ecbplus.jsonl and the SemEval train split (by pair id, as the scorer's dev split is
defined), chooses link/split thresholds by 3-fold topic-grouped cross-validation on ECB+
train, then saves the model into src/samestory/clustering/model/. Prints the thresholds
to put in defaults.toml. ECB+ dev is left for benchmarks/bench_clustering.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

from samestory import load_settings  # noqa: E402
from samestory.analysis import analyse_cached  # noqa: E402
from samestory.clustering.training import candidate_rows, fit_linker, load_ecb, save_linker, tune_thresholds  # noqa: E402
from samestory.clustering.linker import link_features  # noqa: E402
from samestory.scoring.training import DEFAULT_DATA, is_dev, load_semeval_pairs  # noqa: E402
from samestory.store import SQLiteStore  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--semeval", default=str(DEFAULT_DATA), help="SemEval pairs CSV (skipped if absent)")
    ap.add_argument("--cache", default=str(REPO / "benchmarks" / "results" / "train-cache.db"), help="analysis cache (SQLite store)")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    settings = load_settings()
    Path(args.cache).parent.mkdir(parents=True, exist_ok=True)
    with SQLiteStore(args.cache) as store:
        train, gold, topic = load_ecb(REPO / "demo" / "ecbplus.jsonl", "train", store, settings=settings)
        train = sorted(train, key=lambda a: a.id)
        pairs, X = candidate_rows(train, settings)
        y = np.array([gold[train[i].id] == gold[train[j].id] for i, j in pairs], dtype=float)
        print(f"ECB+ train: {len(train)} articles, {len(pairs)} candidate pairs, {int(y.sum())} same-event")
        Xs, ys = np.zeros((0, X.shape[1])), np.zeros(0)
        if Path(args.semeval).exists():
            sem = [p for p in load_semeval_pairs(args.semeval) if not is_dev(p.pair_id)]
            arts = {a.id: a for p in sem for a in (p.a, p.b)}
            an = {a.id: a for a in analyse_cached(list(arts.values()), store, settings=settings)}
            Xs = link_features([(an[p.a.id], an[p.b.id]) for p in sem])
            ys = np.array([p.gold["overall"] <= 2.0 for p in sem], dtype=float)
            print(f"SemEval train split: {len(sem)} pairs, {int(ys.sum())} with Overall <= 2")
        else:
            print(f"SemEval pairs not found at {args.semeval}: ECB+ only")
    # thresholds by topic-grouped cross-validation on ECB+ train
    topics = sorted({topic[a.id] for a in train})
    fold_of_topic = {t: k % 3 for k, t in enumerate(topics)}
    folds = []
    for k in range(3):
        held = [i for i, a in enumerate(train) if fold_of_topic[topic[a.id]] == k]
        held_set = set(held)
        fit_rows = [r for r, (i, j) in enumerate(pairs) if i not in held_set and j not in held_set]
        booster = fit_linker(np.vstack([X[fit_rows], Xs]), np.concatenate([y[fit_rows], ys]))
        local = {i: n for n, i in enumerate(held)}
        rows = [r for r, (i, j) in enumerate(pairs) if i in held_set and j in held_set]
        p = np.round(booster.predict(X[rows]), 6) if rows else []
        prob = {(local[pairs[r][0]], local[pairs[r][1]]): float(v) for r, v in zip(rows, p)}
        folds.append(([train[i].id for i in held], prob, {train[i].id: gold[train[i].id] for i in held}))
    lp, sp, f1 = tune_thresholds(folds, settings)
    print(f"cross-validated on ECB+ train topics: link_probability = {lp}, split_probability = {sp} (mean BCubed F1 {f1:.3f})")
    booster = fit_linker(np.vstack([X, Xs]), np.concatenate([y, ys]))
    if not args.no_save:
        save_linker(booster, {"link_probability": lp, "split_probability": sp, "cv_bcubed_f1": round(f1, 4),
                              "ecb_pairs": len(pairs), "semeval_pairs": len(ys)})
        print("saved to src/samestory/clustering/model/ (set the thresholds in defaults.toml [cluster])")
    return 0


if __name__ == "__main__":
    sys.exit(main())
