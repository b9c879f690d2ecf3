"""Rebuild the shipped boundary model of story segmentation and print what it was tuned to.

    .venv/bin/python scripts/train_segmenter.py [--pages N] [--no-save]

First the lead model: a logistic regression over the sentence embeddings of ECB+ train
documents' paragraphs, the first paragraph of each against the (up to eleven) next ones.
Then pages are built from ECB+ train documents as benchmarks/bench_segmentation.py builds
them (1-3 stories, headlines, captions, markers, photos inside articles, wire briefs), in five folds of
topics (a page holds the documents of one fold). Real pages of one article each (the
trafilatura evaluation set, from ../shared/data, extracted as ``clean`` extracts HTML) join
the folds as pages without boundaries: lists, tables and repeated labels that no synthetic
page has, which a model trained on synthetic pages alone split. The candidates a perfect
segmenter meets on all these pages are the rows; a LightGBM classifier over
``Candidate.vector()`` is the boundary model. The threshold is chosen on pages the model
has not seen (topics, and real pages): for each fold, a model trained on the other four
segments the fold's pages, and the threshold is the one with the fewest missed splits
among those that split at most 1% of the synthetic pages and 1% of the real ones falsely.
The shipped model is then trained on all folds. Saves src/samestory/cleaning/model/boundary.txt
(LightGBM text) and boundary.json (features, lead model, threshold); the threshold goes
into defaults.toml ([clean] boundary_probability) and settings.py (by hand: the script says so). The dev split is left for the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_segmentation import WIRE, CachedEmbed, collect, evaluate, load_docs, make_pages, real_pages  # noqa: E402
from samestory.cleaning.lines import is_headline_like  # noqa: E402
from samestory.cleaning.segmenter import (  # noqa: E402
    SIDE_CHARS, BOUNDARY_FEATURES, BOUNDARY_MODEL, BoundaryModel, LeadModel, model_decision,
)

THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.82, 0.84, 0.85, 0.86, 0.88, 0.9, 0.93, 0.95, 0.97)
MAX_FALSE = 0.01
FOLDS = 5
LEAD_NEXT = 11  # later paragraphs per document, as the lead model's negatives
PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 20, "lambda_l2": 1.0,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "seed": 0, "num_threads": 2, "verbose": -1}
ROUNDS = 300


def fit_lead(docs: list[dict], embed: CachedEmbed) -> LeadModel:
    """First paragraphs against the next ones (headline-like lines are no paragraphs), on unit embeddings."""
    from sklearn.linear_model import LogisticRegression

    texts, y = [], []
    for d in docs:
        body = [t for t in d["text_lines"] if not is_headline_like(t)][: 1 + LEAD_NEXT]
        if not body:
            continue
        texts += [t[:SIDE_CHARS] for t in body]
        y += [1] + [0] * (len(body) - 1)
    v = embed(texts).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-12
    lr = LogisticRegression(C=0.1, max_iter=3000, class_weight="balanced").fit(v, y)
    print(f"lead model: {len(y)} paragraphs of {len(docs)} ECB+ train documents, {sum(y)} of them first")
    return LeadModel(tuple(map(float, lr.coef_[0])), float(lr.intercept_[0]))


def fit(X: np.ndarray, y: np.ndarray, lead: LeadModel, embedder: str) -> BoundaryModel:
    import lightgbm as lgb

    booster = lgb.train(PARAMS, lgb.Dataset(X, y, feature_name=BOUNDARY_FEATURES), num_boost_round=ROUNDS)
    return BoundaryModel(booster, lead, embedder)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=24000, help="train pages in all (split among the folds)")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    embed = CachedEmbed()
    docs = load_docs("train")
    lead = fit_lead(docs, embed)
    topics = sorted({d["topic"] for d in docs})
    real = real_pages()
    folds = []
    for k in range(FOLDS):
        held = {t for n, t in enumerate(topics) if n % FOLDS == k}
        pages = make_pages([d for d in docs if d["topic"] in held], args.pages // FOLDS, seed=1 + k, wire=WIRE)
        reals = real[k::FOLDS]
        X, y = collect(pages + reals, embed, lead)
        folds.append((pages, reals, np.array(X), np.array(y)))
    X, y = np.vstack([f[2] for f in folds]), np.concatenate([f[3] for f in folds])
    print(f"ECB+ train pages: {sum(len(f[0]) for f in folds)} in {FOLDS} folds of {len(topics)} topics, and {len(real)} real "
          f"one-article pages; boundary candidates: {len(y)}, true boundaries among them: {int(y.sum())}")
    counts = {t: [0, 0, 0, 0, 0, 0] for t in THRESHOLDS}  # falsely split pages, pages, missed, boundaries; real: split, pages
    for k, (pages, reals, _, _) in enumerate(folds):
        rest = [f for j, f in enumerate(folds) if j != k]
        model = fit(np.vstack([f[2] for f in rest]), np.concatenate([f[3] for f in rest]), lead, embed.name)
        for t in THRESHOLDS:
            r = evaluate(pages, embed, model_decision(t, model), lead)
            q = evaluate(reals, embed, model_decision(t, model), lead)
            for j, got in enumerate((r["falsely_split_pages"], r["pages"], r["missed"], r["boundaries"],
                                     q["falsely_split_pages"], q["pages"])):
                counts[t][j] += got
    print("threshold  false-split rate  missed-split rate  real pages split   (held-out folds)")
    best = None
    for t, (false, pages_n, missed, bounds, real_false, real_n) in counts.items():
        print(f"{t:9.2f}  {false / pages_n:16.4f}  {missed / bounds:17.4f}  {real_false / real_n:16.4f}")
        if false / pages_n <= MAX_FALSE and real_false / real_n <= MAX_FALSE and (best is None or missed / bounds < best[1]):
            best = (t, missed / bounds)
    threshold = best[0] if best else THRESHOLDS[-1]
    print(f"chosen: boundary_probability = {threshold}")
    model = fit(X, y, lead, embed.name)
    gain = model.booster.feature_importance(importance_type="gain")
    for name, g in sorted(zip(BOUNDARY_FEATURES, gain), key=lambda t: -t[1]):
        print(f"  {name:14s} {g / gain.sum():6.1%} of the gain")
    if not args.no_save:
        model.save(BOUNDARY_MODEL, chosen_threshold=threshold)
        print(f"saved {BOUNDARY_MODEL.relative_to(REPO / 'src')} and .txt (set [clean] boundary_probability = {threshold} in defaults.toml and as CleanSettings' default in settings.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
