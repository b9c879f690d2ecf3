"""Rebuild the shipped story linker and print what it was tuned to.

    .venv/bin/python scripts/train_linker.py [--semeval PATH] [--gun-violence PATH] [--cache DB] [--no-save]

Fits the linker (samestory.clustering.training) on the candidate pairs of ECB+ train (demo/ecbplus.jsonl), of
the gun-violence training weeks (../shared/data/gun_violence: look-alike shootings of the same days; the last
twelve weeks are the dev split of benchmarks/bench_lookalike.py and are never read here) and the SemEval train
split (by pair id, as the scorer's dev split is defined). Chooses link/split thresholds by cross-validation:
three ECB+ train topic folds and three gun-violence time folds, the best mean BCubed F1 over the six held-out
parts; then saves the model into src/samestory/clustering/model/ and prints the thresholds to put in
defaults.toml. ECB+ dev is left for benchmarks/bench_clustering.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

from samestory import load_settings  # noqa: E402
from samestory.analysis import analyse_cached  # noqa: E402
from samestory.clustering.training import (  # noqa: E402
    candidate_rows,
    fit_linker,
    load_ecb,
    load_gun_violence,
    save_linker,
    source_weights,
    split_by_time,
    tune_thresholds,
)
from samestory.clustering.linker import link_features  # noqa: E402
from samestory.scoring.training import DEFAULT_DATA, is_dev, load_semeval_pairs  # noqa: E402
from samestory.store import SQLiteStore  # noqa: E402


SHARES = {"ecb": 0.45, "semeval": 0.1, "gun_violence": 0.45}  # of the training weight, whatever each source's size


def weights(ecb: int, semeval: int, gun_violence: int) -> np.ndarray:
    return source_weights((ecb, SHARES["ecb"]), (semeval, SHARES["semeval"]), (gun_violence, SHARES["gun_violence"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--semeval", default=str(DEFAULT_DATA), help="SemEval pairs CSV (skipped if absent)")
    ap.add_argument("--gun-violence", default=str(REPO.parent / "shared" / "data" / "gun_violence" / "gva_articles.jsonl"),
                    help="gun-violence articles (skipped if absent)")
    ap.add_argument("--cache", default=str(REPO / "benchmarks" / "results" / "train-cache.db"), help="analysis cache (SQLite store)")
    ap.add_argument("--gv-cache", default=str(REPO / "benchmarks" / "results" / "gv-cache.db"), help="analysis cache of the gun-violence articles")
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
    # the gun-violence training weeks: candidate pairs of each of three time blocks (held out one at a time)
    gv_parts = []
    if Path(args.gun_violence).exists():
        with SQLiteStore(args.gv_cache) as store:
            analyses, gv_gold = load_gun_violence(args.gun_violence, store, settings=settings)
        gv_train, _ = split_by_time(analyses, gv_gold)
        first: dict[str, float] = {}
        for a in gv_train:
            if a.article.published is not None:
                first[gv_gold[a.id]] = min(first.get(gv_gold[a.id], a.article.published.timestamp()), a.article.published.timestamp())
        order = sorted(first, key=lambda inc: (first[inc], inc))
        block = {inc: 3 * k // len(order) for k, inc in enumerate(order)}
        for k in range(3):
            part = sorted((a for a in gv_train if block.get(gv_gold[a.id]) == k), key=lambda a: a.id)
            gpairs, gX = candidate_rows(part, settings)
            gy = np.array([gv_gold[part[i].id] == gv_gold[part[j].id] for i, j in gpairs], dtype=float)
            gv_parts.append((part, gpairs, gX, gy))
            print(f"gun violence, time block {k + 1}: {len(part)} articles, {len(gpairs)} candidate pairs, {int(gy.sum())} same-incident")
    else:
        print(f"gun-violence articles not found at {args.gun_violence}: without them")
    # thresholds by cross-validation: ECB+ train topic folds, then gun-violence time folds
    topics = sorted({topic[a.id] for a in train})
    fold_of_topic = {t: k % 3 for k, t in enumerate(topics)}
    gv_X = [gX for _, _, gX, _ in gv_parts]
    gv_y = [gy for _, _, _, gy in gv_parts]
    folds = []
    for k in range(3):
        held = [i for i, a in enumerate(train) if fold_of_topic[topic[a.id]] == k]
        held_set = set(held)
        fit_rows = [r for r, (i, j) in enumerate(pairs) if i not in held_set and j not in held_set]
        booster = fit_linker(np.vstack([X[fit_rows], Xs, *gv_X]), np.concatenate([y[fit_rows], ys, *gv_y]),
                             weights(len(fit_rows), len(ys), sum(map(len, gv_y))))
        local = {i: n for n, i in enumerate(held)}
        rows = [r for r, (i, j) in enumerate(pairs) if i in held_set and j in held_set]
        p = np.round(booster.predict(X[rows]), 6) if rows else []
        prob = {(local[pairs[r][0]], local[pairs[r][1]]): float(v) for r, v in zip(rows, p)}
        folds.append(([train[i].id for i in held], prob, {train[i].id: gold[train[i].id] for i in held}))
    for k, (part, gpairs, gX, _) in enumerate(gv_parts):
        rest = [m for m in range(len(gv_parts)) if m != k]
        booster = fit_linker(np.vstack([X, Xs, *(gv_X[m] for m in rest)]), np.concatenate([y, ys, *(gv_y[m] for m in rest)]),
                             weights(len(y), len(ys), sum(len(gv_y[m]) for m in rest)))
        p = np.round(booster.predict(gX), 6) if len(gpairs) else []
        folds.append(([a.id for a in part], dict(zip(gpairs, map(float, p))), {a.id: gv_gold[a.id] for a in part}))
    lp, sp, f1 = tune_thresholds(folds, settings)
    print(f"cross-validated on {len(folds)} held-out parts: link_probability = {lp}, split_probability = {sp} (mean BCubed F1 {f1:.3f})")
    booster = fit_linker(np.vstack([X, Xs, *gv_X]), np.concatenate([y, ys, *gv_y]), weights(len(y), len(ys), sum(map(len, gv_y))))
    if not args.no_save:
        save_linker(booster, {"link_probability": lp, "split_probability": sp, "cv_bcubed_f1": round(f1, 4),
                              "ecb_pairs": len(pairs), "semeval_pairs": len(ys), "gun_violence_pairs": int(sum(len(v) for v in gv_y)),
                              "source_shares": SHARES})
        print("saved to src/samestory/clustering/model/ (set the thresholds in defaults.toml [cluster])")
    return 0


if __name__ == "__main__":
    sys.exit(main())
